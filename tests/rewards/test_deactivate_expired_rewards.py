"""Expired rewards are switched off by a command and a scheduled task, idempotently."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from plaudit.rewards.models import Reward
from plaudit.rewards.tasks import deactivate_expired_rewards
from tests.factories import RewardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> dict[str, Reward]:
    now = timezone.now()
    return {
        "expired": RewardFactory(name="Summer party", expires_at=now - timedelta(hours=1)),
        "also expired": RewardFactory(name="Spring mug", expires_at=now - timedelta(days=30)),
        "running": RewardFactory(name="Hoodie", expires_at=now + timedelta(days=1)),
        "no end": RewardFactory(name="Coffee", expires_at=None),
        "already off": RewardFactory(
            name="Old pen", expires_at=now - timedelta(days=2), is_active=False
        ),
        "not yet open": RewardFactory(
            name="Winter hat",
            available_from=now + timedelta(days=1),
            expires_at=now + timedelta(days=2),
        ),
    }


def active_names() -> set[str]:
    return set(Reward.all_objects.filter(is_active=True).values_list("name", flat=True))


def run_command() -> str:
    out = StringIO()
    call_command("deactivate_expired_rewards", stdout=out)
    return out.getvalue()


def test_only_expired_active_rewards_are_deactivated_and_reported(
    catalog: dict[str, Reward],
) -> None:
    untouched = Reward.all_objects.get(pk=catalog["already off"].pk).updated_at

    out = run_command()

    assert active_names() == {"Hoodie", "Coffee", "Winter hat"}
    assert f"Deactivated #{catalog['expired'].pk} Summer party" in out
    assert f"Deactivated #{catalog['also expired'].pk} Spring mug" in out
    assert "Old pen" not in out
    assert "2 rewards deactivated." in out
    assert Reward.all_objects.get(pk=catalog["already off"].pk).updated_at == untouched


def test_running_the_command_twice_changes_nothing_the_second_time(
    catalog: dict[str, Reward],
) -> None:
    run_command()
    stamps = dict(Reward.all_objects.values_list("pk", "updated_at"))

    out = run_command()

    assert "0 rewards deactivated." in out
    assert "Deactivated #" not in out
    assert dict(Reward.all_objects.values_list("pk", "updated_at")) == stamps


def test_the_scheduled_task_does_the_same_work_inline(catalog: dict[str, Reward]) -> None:
    first = deactivate_expired_rewards.delay().get()
    second = deactivate_expired_rewards.delay().get()

    assert sorted(first) == sorted([catalog["expired"].pk, catalog["also expired"].pk])
    assert second == []
    assert active_names() == {"Hoodie", "Coffee", "Winter hat"}


def test_an_expired_reward_leaves_the_catalog_once_deactivated(
    catalog: dict[str, Reward], client_for, employee
) -> None:
    run_command()

    names = {row["name"] for row in client_for(employee).get("/api/v1/rewards/").json()["results"]}

    assert names == {"Hoodie", "Coffee"}
