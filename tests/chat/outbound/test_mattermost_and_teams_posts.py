"""Mattermost and Teams go through the same chat deliveries as Slack: every recognition is
posted once to the workspace's channel after commit, a platform answering 500 is tried
again later, one answering 429 no sooner than its ``Retry-After``; a Mattermost decider
gets the waiting redemption as a direct message with Approve and Reject buttons."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.chat import delivery, tasks
from plaudit.chat.models import ChatDelivery, ChatPost, DeliveryStatus, Platform, Workspace
from plaudit.events import dispatch
from plaudit.events.models import OutboxEvent
from tests.factories import ManagerFactory, RewardFactory, UserFactory

from ..fake_mattermost import FakeMattermost
from ..fake_teams import FakeTeamsWebhook
from .helpers import delivery as delivery_to
from .helpers import rolled_back

pytestmark = pytest.mark.django_db

TEAMS_HOOK = "/workflows/abc/triggers/manual/paths/invoke"


@pytest.fixture(scope="module")
def _mattermost_server() -> Iterator[FakeMattermost]:
    server = FakeMattermost().start()
    yield server  # type: ignore[misc]
    server.stop()


@pytest.fixture(scope="module")
def _teams_server() -> Iterator[FakeTeamsWebhook]:
    server = FakeTeamsWebhook().start()
    yield server  # type: ignore[misc]
    server.stop()


@pytest.fixture
def mattermost(_mattermost_server):
    _mattermost_server.reset()
    workspace = Workspace.objects.create(
        platform=Platform.MATTERMOST,
        external_id="teamid0000000000000000000a",
        api_url=_mattermost_server.url,
        bot_token="bot-access-token",
        signing_secret="xr3j4x8dxpnzmk9ex1bqmnkt5c",
        channel="kudoschannel",
    )
    return _mattermost_server, workspace


@pytest.fixture
def teams(_teams_server):
    _teams_server.reset()
    workspace = Workspace.objects.create(
        platform=Platform.TEAMS,
        external_id="72f988bf-86f1-41af-91ab-2d7cd011db47",
        signing_secret="c2VjcmV0",
        webhook_url=_teams_server.url + TEAMS_HOOK,
    )
    return _teams_server, workspace


# Each platform: its fixture and the path its channel posts go to.
PLATFORMS = {"mattermost": "/api/v4/posts", "teams": TEAMS_HOOK}


@pytest.fixture(params=sorted(PLATFORMS))
def platform(request):
    server, workspace = request.getfixturevalue(request.param)
    return server, workspace, PLATFORMS[request.param]


@pytest.fixture
def pair():
    return UserFactory(first_name="Gil"), UserFactory(first_name="Ana")


def give(committed, giver, ana):
    from plaudit.recognition.services import Gift, give_recognition

    return committed(
        lambda: give_recognition(giver=giver, message="Thanks!", gifts=[Gift(ana, 10)])
    )


def make_due() -> None:
    ChatDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_recognition_is_posted_once_after_commit(platform, pair, committed):
    server, workspace, path = platform
    giver, ana = pair
    recognition = give(committed, giver, ana)

    [request] = server.requests_to(path, "POST")
    assert f"{giver} gave 10 points to {ana}" in str(request.body)
    assert delivery_to().status == DeliveryStatus.SENT
    post = ChatPost.objects.get()
    assert (post.workspace, post.recognition_id) == (workspace, recognition.pk)

    # The event offered again, the delivery attempted again: nothing more is posted.
    event = OutboxEvent.objects.get(type="recognition.created")
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    committed(lambda: dispatch.deliver_event(event.pk))
    ChatDelivery.objects.update(status=DeliveryStatus.PENDING, next_attempt_at=None)
    committed(lambda: delivery.attempt_delivery(delivery_to().pk))
    assert ChatDelivery.objects.count() == 1
    assert len(server.requests_to(path, "POST")) == 1


def test_a_kudos_that_rolls_back_is_never_posted(platform, pair, committed):
    from plaudit.recognition.services import Gift, give_recognition

    server, _workspace, path = platform
    giver, ana = pair
    committed(
        lambda: rolled_back(
            lambda: give_recognition(giver=giver, message="Hi", gifts=[Gift(ana, 5)])
        )
    )
    assert not ChatDelivery.objects.exists()
    assert server.requests_to(path) == []


def test_a_500_is_tried_again_later_and_then_posted(platform, pair, committed):
    server, _workspace, path = platform
    giver, ana = pair
    server.fail(path, 500)
    give(committed, giver, ana)

    waiting = delivery_to()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 1)
    assert "HTTP 500" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()
    assert tasks.retry_chat_deliveries() == 0  # not due yet
    assert not ChatPost.objects.exists()

    make_due()
    assert tasks.retry_chat_deliveries() == 1
    sent = delivery_to()
    assert (sent.status, sent.attempts, sent.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(server.requests_to(path, "POST")) == 2
    assert ChatPost.objects.count() == 1


def test_a_429_waits_for_its_retry_after(platform, pair, committed):
    server, _workspace, path = platform
    giver, ana = pair
    server.fail(path, 429, retry_after=120)
    before = timezone.now()
    give(committed, giver, ana)

    waiting = delivery_to()
    assert waiting.status == DeliveryStatus.PENDING
    assert "HTTP 429" in waiting.last_error
    assert timedelta(seconds=119) <= waiting.next_attempt_at - before <= timedelta(seconds=125)
    assert tasks.retry_chat_deliveries() == 0
    assert len(server.requests_to(path, "POST")) == 1

    make_due()
    tasks.retry_chat_deliveries()
    assert delivery_to().status == DeliveryStatus.SENT
    assert len(server.requests_to(path, "POST")) == 2


def test_a_refusal_that_retrying_cannot_mend_fails_at_once(platform, pair, committed):
    """A deleted webhook, a revoked token: the operator must act."""
    server, _workspace, path = platform
    giver, ana = pair
    server.fail(path, 404)
    give(committed, giver, ana)
    failed = delivery_to()
    assert failed.status == DeliveryStatus.FAILED
    assert "HTTP 404" in failed.last_error


def test_with_the_platform_unreachable_kudos_are_given_and_posts_wait(platform, pair, committed):
    server, workspace, path = platform
    giver, ana = pair
    real = (workspace.api_url, workspace.webhook_url)
    Workspace.objects.filter(pk=workspace.pk).update(
        api_url="http://127.0.0.1:9",
        webhook_url="http://127.0.0.1:9/hook" if workspace.webhook_url else "",
    )
    give(committed, giver, ana)
    waiting = delivery_to()
    assert waiting.status == DeliveryStatus.PENDING
    assert "unreachable" in waiting.last_error

    Workspace.objects.filter(pk=workspace.pk).update(api_url=real[0], webhook_url=real[1])
    make_due()
    tasks.retry_chat_deliveries()
    assert delivery_to().status == DeliveryStatus.SENT
    assert len(server.requests_to(path, "POST")) == 1


def test_a_mattermost_workspace_with_an_incoming_webhook_posts_through_it(
    mattermost, pair, committed
):
    server, workspace = mattermost
    workspace.webhook_url = server.url + "/hooks/xx8ff1pctbr3mq5bnqhxnmtguw"
    workspace.channel = ""
    workspace.save()
    giver, ana = pair
    give(committed, giver, ana)
    assert len(server.requests_to("/hooks/xx8ff1pctbr3mq5bnqhxnmtguw")) == 1
    assert server.requests_to("/api/v4/posts") == []
    assert delivery_to().status == DeliveryStatus.SENT


def test_a_teams_workspace_without_a_webhook_posts_nothing(teams, pair, committed):
    server, workspace = teams
    Workspace.objects.filter(pk=workspace.pk).update(webhook_url="", channel="19:abc")
    giver, ana = pair
    give(committed, giver, ana)
    assert not ChatDelivery.objects.exists()
    assert server.requests == []


def test_a_mattermost_decider_gets_the_redemption_with_buttons(mattermost, committed):
    from plaudit.rewards.services import redeem_reward

    server, _workspace = mattermost
    mona = ManagerFactory(first_name="Mona")
    rui = UserFactory(first_name="Rui", manager=mona, with_points=500)
    server.add_user("uidmona", "mona", mona.email)
    reward = RewardFactory(name="Headphones", cost=100)
    committed(lambda: redeem_reward(user=rui, reward_id=reward.pk))

    [sent] = ChatDelivery.objects.filter(target=f"person:{mona.pk}")
    assert sent.status == DeliveryStatus.SENT
    [request] = server.requests_to("/api/v4/posts")
    [attachment] = request.body["props"]["attachments"]
    assert attachment["title"] == f"{rui} redeemed Headphones"
    assert {action["id"] for action in attachment["actions"]} == {"approve", "reject"}


def test_a_person_with_no_mattermost_account_is_skipped_not_failed(mattermost, committed):
    from plaudit.rewards.services import redeem_reward

    mona = ManagerFactory()  # not in Mattermost
    rui = UserFactory(manager=mona, with_points=500)
    committed(lambda: redeem_reward(user=rui, reward_id=RewardFactory(cost=100).pk))
    [skipped] = ChatDelivery.objects.filter(target=f"person:{mona.pk}")
    assert skipped.status == DeliveryStatus.SKIPPED


def test_teams_gets_no_direct_messages(teams, committed):
    from plaudit.rewards.services import redeem_reward

    mona = ManagerFactory()
    rui = UserFactory(manager=mona, with_points=500)
    committed(lambda: redeem_reward(user=rui, reward_id=RewardFactory(cost=100).pk))
    assert not ChatDelivery.objects.filter(target__startswith="person:").exists()
