"""Every recognition is posted once to the workspace's channel, after commit, and a
Slack that fails (500, 429, unreachable) is tried again later without losing it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.chat import content, delivery, tasks
from plaudit.chat.models import ChatDelivery, ChatPost, DeliveryStatus
from plaudit.events import dispatch
from plaudit.events.models import OutboxEvent
from tests.factories import CompanyValueFactory

from .helpers import blocks_text, pending, rolled_back
from .helpers import delivery as delivery_to

pytestmark = pytest.mark.django_db


def make_due() -> None:
    ChatDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_recognition_is_posted_once_after_commit_as_block_kit(
    workspace, people, give, fake_slack, settings
):
    settings.PLAUDIT = {**settings.PLAUDIT, "SITE_URL": "https://kudos.acme.example"}
    giver, ana, ben = people
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    recognition = give(giver, [ana, ben], 10, "For the on-call weekend #teamwork <!channel>")

    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.params["channel"] == "CKUDOS"
    shown = blocks_text(call.params["blocks"])
    assert "<@U1> gave 10 points each to <@U2> and <@U3>" in shown
    assert "Teamwork" in shown
    assert ">For the on-call weekend #teamwork &lt;!channel&gt;" in shown
    assert f"https://kudos.acme.example/recognitions/{recognition.pk}/" in shown
    assert call.params["text"].startswith(f"{giver} gave 10 points each to {ana} and {ben}")
    post = ChatPost.objects.get()
    assert (post.recognition_id, post.channel) == (recognition.pk, "CKUDOS")
    assert post.message_id.startswith("17")
    assert delivery_to().status == DeliveryStatus.SENT


def test_an_event_offered_again_posts_nothing_more(workspace, people, give, fake_slack, committed):
    giver, ana, _ben = people
    give(giver, [ana])
    event = OutboxEvent.objects.get(type="recognition.created")
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)

    committed(lambda: dispatch.deliver_event(event.pk))
    committed(lambda: delivery.attempt_delivery(delivery_to().pk))

    assert ChatDelivery.objects.count() == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_kudos_that_rolls_back_is_never_posted(workspace, people, fake_slack, committed):
    giver, ana, _ben = people
    from plaudit.recognition.services import Gift, give_recognition

    committed(
        lambda: rolled_back(
            lambda: give_recognition(giver=giver, message="Hi", gifts=[Gift(ana, 5)])
        )
    )

    assert not ChatDelivery.objects.exists()
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_thank_you_without_points_says_so(workspace, people, give, fake_slack):
    giver, ana, _ben = people
    give(giver, [ana], 0, "Thanks for the review")
    shown = blocks_text(fake_slack.calls_to("chat.postMessage")[0].params["blocks"])
    assert "<@U1> thanked <@U2>" in shown
    assert "A thank-you" in shown


def test_the_post_is_in_the_companys_language(workspace, people, give, fake_slack, monkeypatch):
    """A channel has no single reader: not the giver's language, the company's."""
    from django.utils import translation

    from plaudit.chat.slack import blocks

    giver, ana, _ben = people
    giver.language = "fr"
    giver.save(update_fields=["language"])
    seen = []
    original = blocks.recognition_blocks

    def spy(post):
        seen.append(translation.get_language())
        return original(post)

    monkeypatch.setattr(blocks, "recognition_blocks", spy)
    give(giver, [ana])
    assert seen == ["en"]


def test_a_500_is_tried_again_later_and_then_posted(workspace, people, give, fake_slack):
    giver, ana, _ben = people
    fake_slack.fail("chat.postMessage", 500)
    give(giver, [ana])

    waiting = delivery_to()
    assert waiting.status == DeliveryStatus.PENDING
    assert waiting.attempts == 1
    assert "HTTP 500" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()
    assert tasks.retry_chat_deliveries() == 0  # not due yet
    assert not ChatPost.objects.exists()

    make_due()
    assert tasks.retry_chat_deliveries() == 1

    sent = delivery_to()
    assert (sent.status, sent.attempts, sent.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert ChatPost.objects.count() == 1


def test_a_429_waits_for_its_retry_after(workspace, people, give, fake_slack):
    giver, ana, _ben = people
    fake_slack.fail("chat.postMessage", 429, retry_after=120)
    before = timezone.now()
    give(giver, [ana])

    waiting = delivery_to()
    assert waiting.status == DeliveryStatus.PENDING
    assert "HTTP 429" in waiting.last_error
    wait = waiting.next_attempt_at - before
    assert timedelta(seconds=119) <= wait <= timedelta(seconds=125)
    assert tasks.retry_chat_deliveries() == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1

    make_due()
    tasks.retry_chat_deliveries()
    assert delivery_to().status == DeliveryStatus.SENT


def test_with_slack_unreachable_kudos_are_given_and_posts_wait(
    workspace, people, fake_slack, settings, client_for, django_capture_on_commit_callbacks
):
    giver, ana, _ben = people
    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"  # nothing listens there
    api = client_for(giver)
    body = {"message": "Thanks!", "recipients": [{"user": ana.pk, "points": 5}]}

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/recognitions/", body, format="json")

    assert response.status_code == 201
    assert api.get("/api/v1/recognitions/").status_code == 200
    [waiting] = pending()
    assert "unreachable" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()

    # Slack is back: the sweep posts what waited.
    settings.SLACK_API_URL = fake_slack.url
    make_due()
    tasks.retry_chat_deliveries()
    assert delivery_to().status == DeliveryStatus.SENT
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_channel_the_app_cannot_post_to_fails_without_retrying(
    workspace, people, give, fake_slack
):
    giver, ana, _ben = people
    fake_slack.fail("chat.postMessage", 200, error="not_in_channel")
    give(giver, [ana])
    failed = delivery_to()
    assert failed.status == DeliveryStatus.FAILED
    assert "not_in_channel" in failed.last_error


def test_a_delivery_retried_for_a_day_gives_up(workspace, people, give, fake_slack):
    giver, ana, _ben = people
    fake_slack.fail("chat.postMessage", 500, times=2)
    give(giver, [ana])
    ChatDelivery.objects.update(created_at=timezone.now() - delivery.RETRY_WINDOW)
    make_due()
    tasks.retry_chat_deliveries()
    assert delivery_to().status == DeliveryStatus.FAILED


def test_without_a_channel_nothing_is_posted(workspace, people, give, fake_slack, settings):
    settings.SLACK_CHANNEL = ""
    giver, ana, _ben = people
    give(giver, [ana])
    assert not ChatDelivery.objects.exists()


def test_what_is_not_postable_is_not_posted(workspace, people, give, fake_slack, monkeypatch):
    monkeypatch.setattr(content, "is_postable", lambda recognition: False)
    giver, ana, _ben = people
    give(giver, [ana])
    assert not ChatDelivery.objects.exists()
    assert fake_slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("model", ["chatdelivery", "chatpost"])
def test_the_admin_lists_what_was_sent_and_what_waits(
    workspace, people, give, fake_slack, model, client
):
    from tests.factories import HRAdminFactory

    giver, ana, _ben = people
    fake_slack.fail("chat.postMessage", 500)
    give(giver, [ana])
    make_due()
    tasks.retry_chat_deliveries()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    listing = client.get(f"/admin/chat/{model}/")
    assert listing.status_code == 200
    one = ChatDelivery.objects.get() if model == "chatdelivery" else ChatPost.objects.get()
    assert client.get(f"/admin/chat/{model}/{one.pk}/change/").status_code == 200


def test_due_deliveries_are_swept_every_minute_on_beat(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.retry_chat_deliveries.name
    ]
    assert entry["schedule"] == timedelta(minutes=1)


def test_a_first_attempt_whose_task_was_lost_is_swept_a_minute_later(
    workspace, people, committed, fake_slack
):
    """The broker was down when the delivery committed: its task never ran."""
    from plaudit.recognition.services import Gift, give_recognition

    giver, ana, _ben = people
    committed(lambda: give_recognition(giver=giver, message="Hi", gifts=[Gift(ana, 5)]))
    ChatDelivery.objects.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, completed_at=None
    )
    ChatPost.objects.all().delete()
    fake_slack.reset()
    assert tasks.retry_chat_deliveries() == 0  # its own task may still come
    ChatDelivery.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert tasks.retry_chat_deliveries() == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_different_amounts_are_posted_as_their_total(workspace, people, committed, fake_slack):
    from plaudit.recognition.services import Gift, give_recognition

    giver, ana, ben = people
    gifts = [Gift(ana, 5), Gift(ben, 15)]
    committed(lambda: give_recognition(giver=giver, message="Thanks!", gifts=gifts))
    shown = blocks_text(fake_slack.calls_to("chat.postMessage")[0].params["blocks"])
    assert "<@U1> gave 20 points in all to <@U2> and <@U3>" in shown
