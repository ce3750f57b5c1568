"""Reactions are mirrored both ways between a recognition and its Slack post."""

import pytest

from plaudit.chat.models import ChatDelivery, ChatPost, DeliveryStatus
from plaudit.recognition.models import Reaction
from plaudit.recognition.services import react, remove_reaction

from .helpers import send_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(workspace, people, give, fake_slack):
    giver, ana, _ben = people
    recognition = give(giver, [ana])
    fake_slack.reset()
    return recognition, ChatPost.objects.get(recognition=recognition)


def slack_reaction(post, *, user="U3", name="tada", added=True):
    kind = "reaction_added" if added else "reaction_removed"
    return {
        "type": kind,
        "user": user,
        "reaction": name,
        "item_user": "UBOT",
        "item": {"type": "message", "channel": post.channel, "ts": post.message_id},
        "event_ts": "1700000100.000200",
    }


def test_a_reaction_in_plaudit_is_added_to_the_slack_post_and_taken_back(
    posted, people, committed, fake_slack
):
    recognition, post = posted
    _giver, _ana, ben = people

    committed(lambda: react(user=ben, recognition=recognition, emoji="🎉"))
    [added] = fake_slack.calls_to("reactions.add")
    assert added.params == {"channel": "CKUDOS", "timestamp": post.message_id, "name": "tada"}

    committed(lambda: remove_reaction(user=ben, recognition=recognition, emoji="🎉"))
    [removed] = fake_slack.calls_to("reactions.remove")
    assert removed.params["name"] == "tada"
    post.refresh_from_db()
    assert post.mirrored_emoji == []


def test_the_apps_reaction_stays_while_someone_in_plaudit_still_reacts_so(
    posted, people, committed, fake_slack
):
    recognition, _post = posted
    giver, _ana, ben = people
    committed(lambda: react(user=ben, recognition=recognition, emoji="👏"))
    committed(lambda: react(user=giver, recognition=recognition, emoji="👏"))
    committed(lambda: remove_reaction(user=ben, recognition=recognition, emoji="👏"))

    assert len(fake_slack.calls_to("reactions.add")) == 1
    assert fake_slack.calls_to("reactions.remove") == []


def test_an_emoji_slack_has_no_name_for_is_not_mirrored(posted, people, committed, fake_slack):
    recognition, _post = posted
    committed(lambda: react(user=people[2], recognition=recognition, emoji="🦄"))
    assert fake_slack.calls_to("reactions.add") == []
    assert ChatDelivery.objects.get(target="reactions:🦄").status == DeliveryStatus.SKIPPED


def test_a_reaction_in_slack_is_the_linked_persons_in_plaudit(
    posted, people, client, fake_slack, django_capture_on_commit_callbacks
):
    _recognition, post = posted
    _giver, _ana, ben = people

    with django_capture_on_commit_callbacks(execute=True):
        response = send_event(client, slack_reaction(post, name="clap::skin-tone-3"))
    assert response.status_code == 200
    assert list(Reaction.objects.values_list("user", "emoji")) == [(ben.pk, "👏")]
    # Not echoed back as the app's own reaction.
    assert fake_slack.calls_to("reactions.add") == []

    with django_capture_on_commit_callbacks(execute=True):
        send_event(client, slack_reaction(post, name="clap", added=False), event_id="Ev2")
    assert not Reaction.objects.exists()
    assert fake_slack.calls_to("reactions.remove") == []


def test_a_retried_slack_event_reacts_once(posted, client, django_capture_on_commit_callbacks):
    _recognition, post = posted
    for _try in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_event(client, slack_reaction(post)).status_code == 200
    assert Reaction.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"reaction": "partyparrot"},  # a custom emoji: Plaudit does not take it
        {"user": "U9"},  # nobody in Plaudit
        {"user": "UBOT"},  # the app's own mirrored reaction
        {"item": {"type": "message", "channel": "CKUDOS", "ts": "1.2"}},  # not Plaudit's post
    ],
)
def test_other_reactions_in_slack_are_ignored_silently(
    posted, client, fake_slack, change, django_capture_on_commit_callbacks
):
    _recognition, post = posted
    fake_slack.add_user("U9", "stranger@elsewhere.example")
    fake_slack.add_user("UBOT", "bot@slack.invalid", is_bot=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_event(client, {**slack_reaction(post), **change})
    assert response.status_code == 200
    assert not Reaction.objects.exists()


def test_a_reaction_made_while_slack_is_down_is_mirrored_once_the_post_is_made(
    workspace, people, give, committed, fake_slack, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from plaudit.chat import tasks

    giver, ana, ben = people
    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"
    recognition = give(giver, [ana])
    committed(lambda: react(user=ben, recognition=recognition, emoji="🎉"))
    assert ChatDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2

    settings.SLACK_API_URL = fake_slack.url
    ChatDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    tasks.retry_chat_deliveries()  # the post first (oldest), the reaction then
    ChatDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    tasks.retry_chat_deliveries()

    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert len(fake_slack.calls_to("reactions.add")) == 1
    assert set(ChatDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
