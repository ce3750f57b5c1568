"""The manager's team page and approvals queue: approve and reject in place."""

import pytest

from plaudit.ledger.selectors import balance_of
from plaudit.rewards.models import RedemptionStatus
from plaudit.rewards.services import redeem_reward
from tests.factories import RewardFactory, UserFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(report):
    """A pending redemption by the manager's report."""
    report_reward = RewardFactory(cost=100, name="Coffee mug")
    from plaudit.ledger.services import grant_points

    grant_points(user=report, amount=300, reason="Test", granted_by=None)
    return redeem_reward(user=report, reward_id=report_reward.pk)


def test_the_team_page_lists_direct_reports_only(page_client, manager, report):
    stranger = UserFactory(first_name="Stranger")

    page = page_client(manager).get("/team/").content.decode()

    assert report.email in page
    assert stranger.email not in page


def test_the_queue_holds_my_reports_pending_redemptions(page_client, manager, pending):
    other = UserFactory(with_points=500)
    redeem_reward(user=other, reward_id=RewardFactory(name="Not mine").pk)

    page = page_client(manager).get("/approvals/").content.decode()

    assert "Coffee mug" in page
    assert "Not mine" not in page


def test_approving_in_place_swaps_the_row_for_its_new_state(page_client, manager, pending):
    response = page_client(manager).post(f"/approvals/{pending.pk}/approve/", **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="redemption-{pending.pk}"' in body
    assert "Approved" in body
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.APPROVED
    assert pending.decided_by == manager


def test_rejecting_with_a_reason_refunds_the_points(page_client, manager, report, pending):
    response = page_client(manager).post(
        f"/approvals/{pending.pk}/reject/", {"reason": "Out of budget this quarter"}, **HTMX
    )

    assert response.status_code == 200
    assert "Out of budget this quarter" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.REJECTED
    assert balance_of(report) == 300


def test_rejecting_without_a_reason_shows_the_error_beside_the_field(
    page_client, manager, report, pending
):
    response = page_client(manager).post(
        f"/approvals/{pending.pk}/reject/", {"reason": " "}, **HTMX
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert "Give a reason: the person sees it" in body
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.PENDING
    assert balance_of(report) == 200


def test_deciding_twice_says_it_is_already_decided(page_client, manager, pending):
    client = page_client(manager)
    client.post(f"/approvals/{pending.pk}/approve/", **HTMX)

    again = client.post(f"/approvals/{pending.pk}/reject/", {"reason": "Changed my mind"}, **HTMX)

    assert again.status_code == 409
    assert "only a pending one can become rejected" in again.content.decode()
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.APPROVED


def test_a_manager_cannot_decide_for_someone_outside_their_team(page_client, pending):
    from tests.factories import ManagerFactory

    other_manager = ManagerFactory()

    response = page_client(other_manager).post(f"/approvals/{pending.pk}/approve/", **HTMX)

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.PENDING


def test_an_employee_cannot_approve_even_their_own(page_client, report, pending):
    response = page_client(report).post(f"/approvals/{pending.pk}/approve/", **HTMX)

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.PENDING
