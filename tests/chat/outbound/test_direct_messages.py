"""Redemption decisions reach the redeemer, and approvals waiting reach whoever decides,
as Slack direct messages in their own language; the approvers' have the buttons."""

import json

import pytest
from django.utils import translation

from plaudit.chat.models import ChatDelivery, DeliveryStatus, LinkedAccount
from plaudit.chat.slack import blocks
from plaudit.rewards.services import approve_redemption, redeem_reward, reject_redemption
from tests.factories import RewardFactory, UserFactory

from .helpers import blocks_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def redeemer(people):
    """Ana, with points to spend; her manager Mia (Slack U4) decides."""
    from plaudit.ledger.services import grant_points

    _giver, ana, _ben = people
    grant_points(user=ana, amount=500, reason="Test grant", granted_by=None)
    return ana


@pytest.fixture
def redemption(workspace, redeemer, committed, fake_slack):
    reward = RewardFactory(name="Team lunch", cost=120)
    made = committed(lambda: redeem_reward(user=redeemer, reward_id=reward.pk))
    return made


def messages_to(fake_slack, user_id):
    channels = {
        call.params["users"]: f"D{call.params['users']}"
        for call in fake_slack.calls_to("conversations.open")
    }
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.params["channel"] == channels.get(user_id)
    ]


def buttons(call):
    payload = call.params["blocks"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    return [
        element
        for block in payload
        if block["type"] == "actions"
        for element in block["elements"]
        if "value" in element
    ]


def test_the_manager_is_asked_to_approve_with_approve_and_reject_buttons(
    redemption, redeemer, fake_slack
):
    [message] = messages_to(fake_slack, "U4")
    shown = blocks_text(message.params["blocks"])
    assert f"{redeemer} redeemed Team lunch" in shown
    assert "120 points; waiting for approval." in shown
    assert [(b["action_id"], b["value"], b.get("style")) for b in buttons(message)] == [
        (blocks.APPROVE_ACTION, str(redemption.pk), "primary"),
        (blocks.REJECT_ACTION, str(redemption.pk), "danger"),
    ]
    # The ids the Slack app's click handlers listen for (tests/chat/test_slack_interactions.py).
    assert (blocks.APPROVE_ACTION, blocks.REJECT_ACTION) == (
        "plaudit_redemption_approve",
        "plaudit_redemption_reject",
    )
    # Ana is not told of her own request.
    assert messages_to(fake_slack, "U2") == []


def test_the_redeemer_hears_the_decision_without_buttons(
    redemption, redeemer, people, committed, fake_slack
):
    manager = redeemer.manager
    fake_slack.reset()
    committed(lambda: approve_redemption(redemption_id=redemption.pk, actor=manager))

    [message] = messages_to(fake_slack, "U2")
    assert "Your redemption of Team lunch was approved" in blocks_text(message.params["blocks"])
    assert buttons(message) == []


def test_a_rejection_says_why(redemption, redeemer, committed, fake_slack):
    fake_slack.reset()
    committed(
        lambda: reject_redemption(
            redemption_id=redemption.pk, actor=redeemer.manager, reason="Budget is frozen."
        )
    )
    [message] = messages_to(fake_slack, "U2")
    shown = blocks_text(message.params["blocks"])
    assert "Your redemption of Team lunch was rejected" in shown
    assert "Budget is frozen." in shown


def test_a_direct_message_is_in_its_readers_language(
    workspace, redeemer, committed, fake_slack, monkeypatch
):
    manager = redeemer.manager
    manager.language = "de"
    manager.save(update_fields=["language"])
    seen = []
    original = blocks.direct_message_blocks

    def spy(message):
        seen.append(translation.get_language())
        return original(message)

    monkeypatch.setattr(blocks, "direct_message_blocks", spy)
    reward = RewardFactory(cost=10)
    committed(lambda: redeem_reward(user=redeemer, reward_id=reward.pk))
    assert seen == ["de"]


def test_a_person_without_a_slack_account_is_skipped(workspace, committed, fake_slack):
    from plaudit.ledger.services import grant_points

    loner = UserFactory(email="loner@example.com")  # no manager: the HR admins decide
    grant_points(user=loner, amount=100, reason="Test grant", granted_by=None)
    from tests.factories import HRAdminFactory

    hr = HRAdminFactory(email="hr@example.com")
    reward = RewardFactory(cost=10)
    committed(lambda: redeem_reward(user=loner, reward_id=reward.pk))

    [skipped] = ChatDelivery.objects.filter(target=f"person:{hr.pk}")
    assert skipped.status == DeliveryStatus.SKIPPED
    assert fake_slack.calls_to("chat.postMessage") == []
    assert len(fake_slack.calls_to("users.lookupByEmail")) == 1


def test_a_person_is_linked_by_email_once(redemption, redeemer, committed, fake_slack):
    assert LinkedAccount.objects.filter(person=redeemer.manager, external_user_id="U4").exists()
    lookups = len(fake_slack.calls_to("users.lookupByEmail"))
    fake_slack.reset()
    reward = RewardFactory(cost=10)
    committed(lambda: redeem_reward(user=redeemer, reward_id=reward.pk))
    assert fake_slack.calls_to("users.lookupByEmail") == []
    assert lookups >= 1


def test_slack_failing_to_look_a_person_up_is_retried_not_skipped(
    workspace, redeemer, committed, fake_slack
):
    fake_slack.fail("users.lookupByEmail", 500)
    reward = RewardFactory(cost=10)
    committed(lambda: redeem_reward(user=redeemer, reward_id=reward.pk))
    waiting = ChatDelivery.objects.get(target=f"person:{redeemer.manager.pk}")
    assert waiting.status == DeliveryStatus.PENDING
