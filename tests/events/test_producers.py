"""Rewards and the ledger tell the right people, through the outbox, when they change."""

import pytest
from django.core import mail

from plaudit.events.models import EventType, Notification, OutboxEvent
from plaudit.ledger import subscribers as ledger_subscribers
from plaudit.ledger.services import grant_points
from plaudit.recognition.services import Gift, give_recognition
from plaudit.rewards import services as rewards
from tests.factories import HRAdminFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and its after-commit effects (dispatch, notifications, email)."""

    def commit(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return commit


def titles(person, event_type):
    return list(
        Notification.objects.filter(user=person, event=event_type).values_list("title", flat=True)
    )


def test_a_redemption_asks_the_redeemers_manager_for_approval(commit, manager, report):
    commit(grant_points, user=report, amount=50, reason="Welcome", granted_by=None)
    reward = RewardFactory(cost=10, name="Team lunch")

    commit(rewards.redeem_reward, user=report, reward_id=reward.pk)

    assert titles(manager, EventType.REDEMPTION_CREATED) == [f"{report} redeemed Team lunch"]
    assert titles(report, EventType.REDEMPTION_CREATED) == []


def test_without_a_manager_hr_admins_are_asked(commit):
    admin = HRAdminFactory()
    person = UserFactory(with_points=50)
    reward = RewardFactory(cost=10, name="Mug")

    commit(rewards.redeem_reward, user=person, reward_id=reward.pk)

    assert titles(admin, EventType.REDEMPTION_CREATED) == [f"{person} redeemed Mug"]


def test_the_redeemer_hears_each_decision_on_their_redemption(commit, manager, report):
    commit(grant_points, user=report, amount=50, reason="Welcome", granted_by=None)
    first = commit(
        rewards.redeem_reward, user=report, reward_id=RewardFactory(cost=10, name="Mug").pk
    )
    second = commit(
        rewards.redeem_reward, user=report, reward_id=RewardFactory(cost=10, name="Hoodie").pk
    )

    commit(rewards.approve_redemption, redemption_id=first.pk, actor=manager)
    commit(rewards.fulfil_redemption, redemption_id=first.pk, actor=HRAdminFactory())
    commit(
        rewards.reject_redemption, redemption_id=second.pk, actor=manager, reason="Out of budget"
    )

    assert titles(report, EventType.REDEMPTION_APPROVED) == ["Your redemption of Mug was approved"]
    assert titles(report, EventType.REDEMPTION_FULFILLED) == ["Mug is on its way"]
    rejected = Notification.objects.get(user=report, event=EventType.REDEMPTION_REJECTED)
    assert rejected.title == "Your redemption of Hoodie was rejected"
    assert "Out of budget" in rejected.body
    assert "10 points are back" in rejected.body


def test_the_manager_hears_when_a_pending_request_is_cancelled(commit, manager, report):
    commit(grant_points, user=report, amount=50, reason="Welcome", granted_by=None)
    redemption = commit(rewards.redeem_reward, user=report, reward_id=RewardFactory(cost=10).pk)

    commit(rewards.cancel_redemption, redemption_id=redemption.pk, actor=report)

    assert len(titles(manager, EventType.REDEMPTION_CANCELLED)) == 1
    assert titles(report, EventType.REDEMPTION_CANCELLED) == []


def test_a_refused_redemption_records_no_event(commit):
    person = UserFactory()
    reward = RewardFactory(cost=10)

    with pytest.raises(Exception, match="points"):
        commit(rewards.redeem_reward, user=person, reward_id=reward.pk)

    assert not OutboxEvent.objects.filter(type=EventType.REDEMPTION_CREATED).exists()


def test_granted_points_reach_the_person_in_the_app_and_by_email(commit, hr_admin, client_for):
    person = UserFactory(first_name="Ada")

    response = commit(
        client_for(hr_admin).post,
        path="/api/v1/points/grants/",
        data={"user": person.pk, "amount": 40, "reason": "Release help"},
    )

    assert response.status_code == 201, response.json()

    assert titles(person, EventType.POINTS_GRANTED) == ["You received 40 points"]
    [email] = [message for message in mail.outbox if person.email in message.to]
    assert email.subject == "You received 40 points"
    assert "Release help" in email.body
    assert "Release help" in email.alternatives[0][0]


def test_hr_hears_once_when_a_redemption_takes_stock_down_to_the_threshold(commit, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "LOW_STOCK_THRESHOLD": 2}
    admin = HRAdminFactory()
    reward = RewardFactory(cost=1, stock=4, per_user_limit=None, name="Sticker")
    buyer = UserFactory(with_points=10)

    for _ in range(3):
        commit(rewards.redeem_reward, user=buyer, reward_id=reward.pk)

    notes = Notification.objects.filter(user=admin, event=EventType.REWARD_LOW_STOCK)
    assert [(note.title, note.body) for note in notes] == [
        ("Sticker is running low", "2 left in stock.")
    ]


def test_a_posting_pushes_the_new_balance_of_each_person_it_moves(commit, monkeypatch):
    """One live balance per person whose balance moved; none for an allowance or the reserve."""
    pushed: list[tuple[int, dict]] = []
    monkeypatch.setattr(ledger_subscribers, "with_open_sockets", list)  # everyone is online
    monkeypatch.setattr(
        ledger_subscribers, "send_to_user", lambda person, message: pushed.append((person, message))
    )
    giver, ana, ben = UserFactory(), UserFactory(), UserFactory()

    commit(give_recognition, giver=giver, message="Thanks", gifts=[Gift(ana, 5), Gift(ben, 3)])

    assert sorted(pushed) == sorted(
        [(ana.pk, {"type": "balance", "balance": 5}), (ben.pk, {"type": "balance", "balance": 3})]
    )
