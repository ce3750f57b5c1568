"""``manage.py seed_demo``: a demo company with six months of history, loaded once, the
same on any day, on a ledger that verifies."""

from collections import Counter
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from plaudit.events.models import Notification, OutboxEvent
from plaudit.imports.models import ImportJob, ImportStatus
from plaudit.ledger.models import Entry, Transaction, TransactionKind
from plaudit.ledger.selectors import ledger_problems, points_of
from plaudit.people.models import User
from plaudit.recognition.models import (
    Comment,
    CompanyValue,
    Reaction,
    Recognition,
    RecognitionKind,
)
from plaudit.reports.selectors import months_back, points_flow_by_department
from plaudit.rewards.models import Redemption, RedemptionStatus, Reward

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The demo's sign-ins are hashed like any password; a fast hasher proves the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """The demo's imports store their uploads until they are applied."""
    settings.MEDIA_ROOT = tmp_path


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "rewards": Reward.all_objects.count(),
        "transactions": Transaction.objects.count(),
        "entries": Entry.objects.count(),
    }


def test_seed_demo_loads_a_company_whose_ledger_verifies() -> None:
    out = seed()

    assert "Demo data loaded." in out
    loaded = snapshot()
    assert loaded["people"] > 0
    assert loaded["rewards"] > 0
    assert loaded["transactions"] > 0
    assert ledger_problems() == []
    call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())


def test_the_demo_catalog_and_values_are_translated_where_hr_translated_them() -> None:
    seed()

    with translation.override("fr"):
        hoodie = Reward.all_objects.get(name="Plaudit hoodie").localised.name
        imported = Reward.all_objects.get(sku="DESK-PLANT").localised.name
        teamwork = CompanyValue.objects.get(slug="teamwork").localised.name

    assert (hoodie, imported, teamwork) == (
        "Sweat à capuche Plaudit",
        "Desk plant",
        "Esprit d'équipe",
    )


def test_seeding_again_changes_nothing() -> None:
    seed()
    before = snapshot()

    out = seed()

    assert "already loaded" in out
    assert snapshot() == before
    assert ledger_problems() == []


# What a fresh seed gives, on any day: the README's tour shows Ana's balance and ids.
BALANCES = {
    "hr": 500,
    "maya": 75,
    "leo": 610,
    "ana": 815,
    "ben": 1040,
    "chloe": 195,
    "dev": 480,
    "eva": 1855,
    "finn": 305,
    "gia": 485,
}
ALLOWANCES_LEFT = {
    "hr": 100,
    "maya": 130,
    "leo": 110,
    "ana": 100,
    "ben": 75,
    "chloe": 70,
    "dev": 100,
    "eva": 95,
    "finn": 90,
    "gia": 100,
}


def figures() -> dict[str, Any]:
    people = User.objects.order_by("pk")
    return {
        "balances": {person.email.split("@")[0]: points_of(person)["balance"] for person in people},
        "allowances_left": {
            person.email.split("@")[0]: points_of(person)["allowance_remaining"]
            for person in people
        },
        "recognitions": Counter(Recognition.objects.values_list("kind", flat=True)),
        "redemptions": Counter(Redemption.objects.values_list("status", flat=True)),
        # On a fresh database, the last ids the README's tour shows.
        "counts": [
            User.objects.count(),
            Reward.all_objects.count(),
            Redemption.objects.count(),
            Transaction.objects.count(),
            Recognition.objects.count(),
        ],
    }


def test_the_demo_has_six_months_of_history() -> None:
    seed()

    months = months_back(6)
    kudos_months = {
        timezone.localdate(moment).replace(day=1)
        for moment in Recognition.objects.filter(kind=RecognitionKind.PEER).values_list(
            "created_at", flat=True
        )
    }
    assert kudos_months == set(months)
    flow = points_flow_by_department()
    assert {row.month for row in flow if row.given} == set(months)  # six bars, not one
    assert {row.month for row in flow if row.redeemed} == set(months)
    assert Recognition.objects.filter(values__isnull=False).count() > 30
    assert Reaction.objects.count() > 50
    assert Comment.objects.count() > 10
    assert set(Redemption.objects.values_list("status", flat=True)) == set(RedemptionStatus)
    assert "" not in Redemption.objects.filter(status="rejected").values_list("reason", flat=True)
    kinds = set(Recognition.objects.values_list("kind", flat=True))
    assert {RecognitionKind.BIRTHDAY, RecognitionKind.ANNIVERSARY} <= kinds
    grants = Transaction.objects.filter(kind=TransactionKind.GRANT)
    assert grants.exclude(description="Welcome to Plaudit").exists()
    imports = ImportJob.objects.filter(status=ImportStatus.SUCCEEDED, dry_run=False)
    assert set(imports.values_list("kind", flat=True)) == {"employees", "rewards"}
    # Every event was delivered when it happened: notifications, most of the past read.
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=False).count() > 300
    assert Notification.objects.filter(read_at__isnull=True).exists()
    first_month = timezone.make_aware(datetime.combine(months[0], datetime.min.time()))
    assert Notification.objects.filter(created_at__lt=first_month + timedelta(days=31)).exists()
    assert ledger_problems() == []


@pytest.mark.parametrize(
    "today",
    [
        None,  # the real day
        datetime(2027, 3, 1, 0, 30, tzinfo=UTC),  # the first minutes of a month after February
        datetime(2028, 2, 29, 16, 0, tzinfo=UTC),  # a leap day
    ],
)
def test_the_demo_is_the_same_whatever_the_day_it_is_loaded(today: datetime | None) -> None:
    with mock.patch("django.utils.timezone.now", return_value=today) if today else nullcontext():
        seed()
        loaded = figures()

    assert loaded["balances"] == BALANCES
    assert loaded["allowances_left"] == ALLOWANCES_LEFT
    assert loaded["recognitions"] == {"peer": 69, "birthday": 5, "anniversary": 5}
    assert loaded["redemptions"] == {
        "fulfilled": 12,
        "approved": 2,
        "pending": 2,
        "rejected": 2,
        "cancelled": 2,
    }
    assert loaded["counts"] == [10, 8, 20, 116, 79]
    assert ledger_problems() == []
