"""The reward catalog imports the same way, keyed by SKU."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from plaudit.imports.kinds.rewards import REWARD_COLUMNS
from plaudit.rewards.models import Reward
from tests.factories import RewardFactory

from .conftest import csv_text, errors_of

pytestmark = pytest.mark.django_db


def reward_row(sku, **fields):
    row = {
        "sku": sku,
        "name": f"Reward {sku}",
        "description": "Nice",
        "category": "Swag",
        "cost": "100",
        "stock": "10",
        "per_user_limit": "1",
        "available_from": "",
        "expires_at": "",
        "is_active": "true",
    }
    row.update(fields)
    return row


def test_rewards_are_upserted_by_sku(run_import):
    RewardFactory(sku="MUG", name="Old mug", cost=50)
    rows = [reward_row("MUG", name="Mug", cost="75"), reward_row("HOODIE", stock="")]

    job = run_import(csv_text(rows, REWARD_COLUMNS), kind="rewards")

    assert (job["created"], job["updated"], job["failed"]) == (1, 1, 0)
    assert Reward.objects.get(sku="MUG").cost == 75
    assert Reward.objects.get(sku="HOODIE").stock is None


def test_bad_reward_rows_are_listed_and_change_nothing(run_import, hr_client):
    rows = [
        reward_row("A", cost="0"),
        reward_row("B", available_from="2030-01-02T00:00:00+00:00", expires_at="2030-01-01"),
        reward_row("", name=""),
        reward_row("C", is_active="maybe"),
    ]
    job = run_import(csv_text(rows, REWARD_COLUMNS), kind="rewards")

    assert (job["created"], job["failed"]) == (0, 4)
    assert not Reward.objects.exists()
    assert {(r, c) for r, c, _ in errors_of(hr_client, job)[1:]} == {
        ("2", "cost"),
        ("3", "expires_at"),
        ("4", "sku"),
        ("4", "name"),
        ("5", "is_active"),
    }


def test_reimporting_the_catalog_changes_nothing(run_import):
    content = csv_text(
        [reward_row("A", available_from="2024-01-01T09:00:00+00:00"), reward_row("B")],
        REWARD_COLUMNS,
    )
    run_import(content, kind="rewards")
    before = list(Reward.objects.values())

    again = run_import(content, kind="rewards")

    assert (again["created"], again["updated"]) == (0, 0)
    assert list(Reward.objects.values()) == before


def test_a_time_without_an_offset_is_the_companys_whoever_runs_the_import(run_import, settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # the company's
    rows = [reward_row("A", available_from="2027-02-01T00:00:00")]

    with timezone.override(ZoneInfo("America/Los_Angeles")):  # the uploader's
        job = run_import(csv_text(rows, REWARD_COLUMNS), kind="rewards")

    assert job["created"] == 1
    assert Reward.objects.get(sku="A").available_from == datetime(2027, 1, 31, 11, tzinfo=UTC)
