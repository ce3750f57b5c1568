"""The outbox dispatcher: every consumer gets each event, once in effect, and nothing is lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaudit.core.encryption import encrypt
from plaudit.events import backoff, dispatch, services, tasks
from plaudit.events.models import (
    EventType,
    Notification,
    NotificationPreference,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaudit.events.outbox import record_event
from plaudit.events.payloads import AwardData, ImportFinished, RecognitionCreated
from plaudit.events.signals import event_ready
from plaudit.recognition.models import RecognitionKind
from tests.factories import UserFactory

from .payloads import low_stock, points_granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver, local_webhooks_allowed):
    return WebhookEndpoint.objects.create(
        url=receiver.url, events=[EventType.POINTS_GRANTED], secret_encrypted=encrypt("s3cret")
    )


def test_an_event_delivered_twice_has_one_effect_on_each_consumer(
    publish, endpoint, receiver, django_capture_on_commit_callbacks
):
    alice = UserFactory()

    event = publish(EventType.POINTS_GRANTED, points_granted(alice))
    # A lost acknowledgement: the same event is offered to every consumer again.
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch.deliver_event(event.pk)
        assert dispatch.deliver_event(event.pk)

    assert Notification.objects.filter(user=alice).count() == 1
    assert len(mail.outbox) == 1
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert len(receiver.requests) == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_notifying_twenty_people_of_one_event_takes_as_many_queries_as_notifying_one(
    django_capture_on_commit_callbacks,
):
    def queries_to_notify(people: list) -> int:
        with django_capture_on_commit_callbacks(execute=False):
            event = record_event(EventType.REWARD_LOW_STOCK, low_stock(people))
        with CaptureQueriesContext(connection) as queries:
            services.notify_recipients(event=event)
        assert Notification.objects.filter(outbox_event=event).count() == len(people)
        return len(queries.captured_queries)

    assert queries_to_notify(UserFactory.create_batch(20)) == queries_to_notify([UserFactory()])


def test_a_muted_person_and_one_already_told_are_skipped_and_the_others_told(
    django_capture_on_commit_callbacks,
):
    told, muted, new = UserFactory.create_batch(3)
    NotificationPreference.objects.create(user=muted, muted_events=[EventType.REWARD_LOW_STOCK])
    with django_capture_on_commit_callbacks(execute=False):
        event = record_event(EventType.REWARD_LOW_STOCK, low_stock([told, muted, new]))
    Notification.objects.create(outbox_event=event, user=told, event=event.type, title="Earlier")

    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_recipients(event=event)

    assert [notification.user for notification in created] == [new]
    assert Notification.objects.get(outbox_event=event, user=told).title == "Earlier"
    assert not Notification.objects.filter(user=muted).exists()
    assert [message.to for message in mail.outbox] == [[new.email]]


def test_a_failing_consumer_is_retried_later_without_repeating_the_others(
    publish, django_capture_on_commit_callbacks
):
    alice = UserFactory()
    calls = []

    def flaky_consumer(sender, event, **kwargs):
        calls.append(event.pk)
        if len(calls) == 1:
            raise RuntimeError("search index is down")

    event_ready.connect(flaky_consumer, sender=OutboxEvent, dispatch_uid="test.flaky")
    try:
        event = publish(EventType.POINTS_GRANTED, points_granted(alice))
        event.refresh_from_db()
        assert event.dispatched_at is None
        assert "search index is down" in event.last_error
        assert event.next_attempt_at > timezone.now()
        assert Notification.objects.filter(user=alice).count() == 1  # the others committed

        OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.sweep_outbox(older_than_seconds=0) == 1
    finally:
        event_ready.disconnect(sender=OutboxEvent, dispatch_uid="test.flaky")

    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.attempts == 2
    assert len(calls) == 2
    assert Notification.objects.filter(user=alice).count() == 1
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_a_failed_event_alone_until_its_backoff_has_passed(publish):
    event = publish(EventType.POINTS_GRANTED, points_granted(UserFactory()))
    OutboxEvent.objects.filter(pk=event.pk).update(
        dispatched_at=None, attempts=3, next_attempt_at=timezone.now() + timedelta(minutes=2)
    )

    assert dispatch.pending_event_ids(older_than=timedelta(0)) == []


def test_retry_delays_grow_exponentially_with_jitter_and_stop_growing_at_the_cap():
    now = timezone.now()
    delays = [(backoff.next_attempt_at(n, now=now) - now).total_seconds() for n in range(1, 12)]

    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(3600, 30 * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 3600
    # An event that has failed for weeks still waits an hour at most.
    assert backoff.next_attempt_at(10_000, now=now) - now <= timedelta(hours=1)


def test_an_event_whose_change_rolled_back_is_never_delivered(django_capture_on_commit_callbacks):
    alice = UserFactory()

    def grant_that_fails():
        with transaction.atomic():
            record_event(EventType.POINTS_GRANTED, points_granted(alice))
            raise RuntimeError("the grant failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        grant_that_fails()

    assert not OutboxEvent.objects.exists()
    assert not Notification.objects.exists()


def test_recording_the_same_fact_twice_makes_one_event(publish):
    alice = UserFactory()

    first = publish(EventType.POINTS_GRANTED, points_granted(alice), key="grant:1")
    second = publish(EventType.POINTS_GRANTED, points_granted(alice), key="grant:1")

    assert first.pk == second.pk
    assert Notification.objects.filter(user=alice).count() == 1


def test_each_recipient_of_kudos_hears_of_their_own_points(publish):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()

    publish(
        EventType.RECOGNITION_CREATED,
        RecognitionCreated(
            recognition=7,
            kind=RecognitionKind.PEER,
            giver=carol.pk,
            giver_name="Carol",
            recipients=[alice.pk, bob.pk],
            awards=[
                AwardData(user=alice.pk, user_name="Alice", points=20),
                AwardData(user=bob.pk, user_name="Bob", points=0),
            ],
            values=[],
            message="Great launch!",
            created_at=timezone.now(),
        ),
    )

    alice_note = Notification.objects.get(user=alice)
    assert alice_note.title == "Carol recognised you with 20 points"
    assert alice_note.body == "Great launch!"
    assert Notification.objects.get(user=bob).title == "Carol recognised you"
    assert not Notification.objects.filter(user=carol).exists()


def test_the_beat_sweep_task_delivers_what_the_commit_trigger_missed():
    alice = UserFactory()
    with transaction.atomic():
        event = OutboxEvent.objects.create(
            type=EventType.POINTS_GRANTED,
            data=points_granted(alice, amount=3).model_dump(mode="json"),
        )
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert tasks.sweep_outbox() == 1

    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_finished_import_tells_the_person_who_started_it(publish):
    uploader = UserFactory()

    publish(
        EventType.IMPORT_FINISHED,
        ImportFinished(
            id=12,
            kind="employees",
            status="succeeded",
            dry_run=False,
            total_rows=4,
            created=3,
            updated=1,
            failed=0,
            user=uploader.pk,
        ),
    )

    note = Notification.objects.get(user=uploader)
    assert (note.title, note.body, note.url) == (
        "Your employees import succeeded",
        "3 created, 1 updated, 0 rejected",
        "/hr/imports/12/",
    )


def test_a_live_push_that_fails_is_logged_and_the_drain_goes_on(
    caplog, django_capture_on_commit_callbacks
):
    def broken_push(event):
        raise RuntimeError("channel layer is down")

    dispatch.live_consumer(broken_push)
    try:
        first = record_event(EventType.POINTS_GRANTED, points_granted(UserFactory()))
        second = record_event(EventType.POINTS_GRANTED, points_granted(UserFactory()))
        with django_capture_on_commit_callbacks(execute=True):
            drained = dispatch.deliver_all_pending()
    finally:
        event_ready.disconnect(
            sender=OutboxEvent, dispatch_uid=f"{broken_push.__module__}.{broken_push.__qualname__}"
        )

    assert drained.offered == 2
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 0
    assert f"of event {first.pk} (points.granted) failed" in caplog.text
    assert f"of event {second.pk} (points.granted) failed" in caplog.text
