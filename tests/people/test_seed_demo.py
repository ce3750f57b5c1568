"""``manage.py seed_demo``: a demo company, loaded once, on a ledger that verifies."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from plaudit.ledger.models import Entry, Transaction
from plaudit.ledger.selectors import ledger_problems
from plaudit.people.models import User
from plaudit.rewards.models import Reward

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The demo's sign-ins are hashed like any password; a fast hasher proves the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_seeding_again_changes_nothing() -> None:
    seed()
    before = snapshot()

    out = seed()

    assert "already loaded" in out
    assert snapshot() == before
    assert ledger_problems() == []


def test_the_demo_has_a_feed_and_leaves_the_readme_tour_its_figures() -> None:
    from plaudit.ledger.selectors import points_of
    from plaudit.recognition.models import Comment, Reaction, Recognition

    seed()

    assert Recognition.objects.count() == 4
    assert Reaction.objects.count() == 4
    assert Comment.objects.count() == 1
    assert Recognition.objects.filter(values__slug="teamwork").exists()
    # The README's tour shows Ana's figures as they start.
    ana = User.objects.get(email="ana@plaudit.example")
    assert points_of(ana) == {"balance": 850, "allowance_remaining": 100}
    assert not Recognition.objects.filter(awards__recipient=ana).exists()
