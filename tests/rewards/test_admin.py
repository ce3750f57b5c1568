"""The rewards admin: bulk approve and reject call the services; delete is soft."""

import pytest
from django.test import Client

from plaudit.ledger.selectors import balance_of
from plaudit.rewards.models import RedemptionStatus, Reward
from plaudit.rewards.services import redeem_reward
from tests.factories import HRAdminFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client():
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    return client


def _pending(count=2):
    reward = RewardFactory(cost=100, per_user_limit=None)
    people = UserFactory.create_batch(count, with_points=300)
    return [redeem_reward(user=person, reward_id=reward.pk) for person in people]


def test_bulk_approve_moves_pending_redemptions_to_approved(hr_client):
    redemptions = _pending()

    response = hr_client.post(
        "/admin/rewards/redemption/",
        {"action": "approve", "_selected_action": [r.pk for r in redemptions]},
    )

    assert response.status_code == 302
    for redemption in redemptions:
        redemption.refresh_from_db()
        assert redemption.status == RedemptionStatus.APPROVED


def test_bulk_reject_asks_for_a_reason_then_refunds(hr_client):
    redemptions = _pending()
    selected = {"action": "reject", "_selected_action": [r.pk for r in redemptions]}

    asked = hr_client.post("/admin/rewards/redemption/", selected)
    done = hr_client.post("/admin/rewards/redemption/", {**selected, "reason": "Budget freeze"})

    assert asked.status_code == 200
    assert "Reject them" in asked.content.decode()
    assert done.status_code == 302
    for redemption in redemptions:
        redemption.refresh_from_db()
        assert redemption.status == RedemptionStatus.REJECTED
        assert redemption.reason == "Budget freeze"
        assert balance_of(redemption.user) == 300


def test_an_already_decided_redemption_is_reported_not_changed(hr_client):
    (redemption,) = _pending(1)
    selected = {"_selected_action": [redemption.pk]}
    hr_client.post("/admin/rewards/redemption/", {**selected, "action": "approve"})

    response = hr_client.post(
        "/admin/rewards/redemption/",
        {**selected, "action": "reject", "reason": "Too late"},
        follow=True,
    )

    assert "only a pending one can become rejected" in response.content.decode()
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.APPROVED


def test_the_soft_delete_action_keeps_the_row(hr_client):
    reward = RewardFactory()

    hr_client.post(
        "/admin/rewards/reward/", {"action": "soft_delete", "_selected_action": [reward.pk]}
    )

    assert not Reward.objects.filter(pk=reward.pk).exists()
    assert Reward.all_objects.get(pk=reward.pk).deleted_at is not None


def test_the_redemption_list_runs_a_fixed_number_of_queries(
    hr_client, django_assert_max_num_queries
):
    _pending(20)

    with django_assert_max_num_queries(12):
        assert hr_client.get("/admin/rewards/redemption/").status_code == 200
