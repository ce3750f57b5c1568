"""Commits share one queued drain of the outbox, and no event is left behind by it."""

import threading
import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_guid import clear_guid, get_guid, set_guid

from plaudit.events import dispatch, tasks
from plaudit.events.dispatch import Drained
from plaudit.events.models import EventType, Notification, OutboxEvent
from plaudit.events.signals import event_ready
from tests.factories import UserFactory

from .payloads import low_stock, points_granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The drains sent to the broker, which holds them (no worker runs them)."""
    sent: list[Any] = []

    def send(task: Any, *args: Any) -> bool:
        sent.append(task.name)
        return True

    monkeypatch.setattr(tasks, "enqueue", send)
    return sent


@pytest.mark.redis
def test_commits_while_a_drain_is_queued_share_it_and_it_delivers_them_all(publish, queued):
    alice = UserFactory()

    events = [publish(EventType.POINTS_GRANTED, points_granted(alice, amount=n)) for n in (1, 2)]

    assert queued == ["plaudit.events.tasks.drain_outbox"]
    assert dispatch.deliver_all_pending() == Drained(2, more_waiting=False)
    assert all(OutboxEvent.objects.get(pk=e.pk).dispatched_at is not None for e in events)
    assert Notification.objects.filter(user=alice).count() == 2
    # The drain has started: the next commit queues the next one.
    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=3))
    assert len(queued) == 2


def test_a_drain_delivers_every_pending_event_in_batches(publish, queued):
    alice = UserFactory()
    for n in range(5):
        publish(EventType.POINTS_GRANTED, points_granted(alice, amount=n))
    queued.clear()

    assert dispatch.deliver_all_pending(batch=3) == Drained(5, more_waiting=False)
    assert queued == []
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert Notification.objects.filter(user=alice).count() == 5


def test_a_drain_out_of_time_stops_after_a_batch_and_says_more_are_waiting(publish, queued):
    alice = UserFactory()
    for n in range(5):
        publish(EventType.POINTS_GRANTED, points_granted(alice, amount=n))
    queued.clear()

    assert dispatch.deliver_all_pending(batch=3, seconds=0) == Drained(3, more_waiting=True)
    assert dispatch.deliver_all_pending(batch=3) == Drained(2, more_waiting=False)
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


def test_a_drain_task_that_leaves_events_waiting_hands_them_to_a_fresh_task(
    queued, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(
        dispatch, "deliver_all_pending", lambda **kwargs: Drained(200, more_waiting=True)
    )

    assert tasks.drain_outbox.apply().get() == 200

    assert queued == ["plaudit.events.tasks.drain_outbox"]


@pytest.mark.redis
def test_a_commit_while_a_drain_runs_queues_nothing_and_the_running_drain_delivers_it(
    publish, queued
):
    alice = UserFactory()
    first = publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))
    later: list[OutboxEvent] = []

    def another_request_commits(sender: Any, event: OutboxEvent, **kwargs: Any) -> None:
        if not later:
            later.append(publish(EventType.POINTS_GRANTED, points_granted(alice, amount=2)))

    queued.clear()
    event_ready.connect(another_request_commits, sender=OutboxEvent, dispatch_uid="test.commit")
    try:
        assert dispatch.deliver_all_pending().offered == 2
    finally:
        event_ready.disconnect(sender=OutboxEvent, dispatch_uid="test.commit")

    assert queued == []  # the running drain held the claim
    assert OutboxEvent.objects.get(pk=later[0].pk).dispatched_at is not None
    assert OutboxEvent.objects.get(pk=first.pk).dispatched_at is not None
    # Given back at the end: the next commit queues the next drain.
    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=3))
    assert queued == ["plaudit.events.tasks.drain_outbox"]


@pytest.mark.redis
def test_a_lingering_drain_delivers_a_trickle_of_commits_without_a_task_for_each(
    publish, queued, monkeypatch: pytest.MonkeyPatch
):
    alice = UserFactory()
    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))
    queued.clear()
    waits: list[float] = []
    trickle = iter([2, 3])

    def meanwhile_another_request_commits(seconds: float) -> None:
        waits.append(seconds)
        if (amount := next(trickle, None)) is not None:
            publish(EventType.POINTS_GRANTED, points_granted(alice, amount=amount))

    monkeypatch.setattr(dispatch.time, "sleep", meanwhile_another_request_commits)

    assert dispatch.deliver_all_pending(linger=0.2).offered == 3

    assert queued == []  # the lingering drain held the claim: the commits sent no task
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert Notification.objects.filter(user=alice).count() == 3
    # It gave up after the linger, looking no more often than its poll.
    assert set(waits) == {dispatch.DRAIN_POLL_SECONDS}
    # Given back at the end: the next commit queues the next drain.
    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=4))
    assert queued == ["plaudit.events.tasks.drain_outbox"]


def test_run_inline_the_drain_task_does_not_linger(publish, monkeypatch: pytest.MonkeyPatch):
    alice = UserFactory()
    waited: list[float] = []
    monkeypatch.setattr(dispatch.time, "sleep", waited.append)

    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))  # drained inline
    assert tasks.drain_outbox.apply().get() == 0

    assert waited == []  # the request that committed never waits for more commits
    assert Notification.objects.filter(user=alice).count() == 1


@pytest.mark.redis
def test_when_the_broker_refuses_a_drain_the_next_commit_asks_again_and_catches_up(
    publish, monkeypatch: pytest.MonkeyPatch
):
    alice = UserFactory()
    attempts: list[str] = []

    def broker_down(task: Any, *args: Any) -> bool:
        attempts.append(task.name)
        return False

    monkeypatch.setattr(tasks, "enqueue", broker_down)
    missed = publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))
    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=2))
    assert len(attempts) == 2  # the refused drain gave its claim back
    monkeypatch.undo()

    publish(EventType.POINTS_GRANTED, points_granted(alice, amount=3))  # runs inline

    missed.refresh_from_db()
    assert missed.dispatched_at is not None
    assert Notification.objects.filter(user=alice).count() == 3


def test_in_a_batch_an_event_whose_consumer_fails_waits_alone_and_the_others_are_delivered(
    publish, queued
):
    alice, bob = UserFactory(), UserFactory()
    fine = publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))
    broken = publish(EventType.POINTS_GRANTED, points_granted(bob, amount=2))

    def fails_for_bob(sender: Any, event: OutboxEvent, **kwargs: Any) -> None:
        if event.pk == broken.pk:
            raise RuntimeError("search index is down")

    event_ready.connect(fails_for_bob, sender=OutboxEvent, dispatch_uid="test.fails_for_bob")
    try:
        assert dispatch.deliver_all_pending().offered == 2
    finally:
        event_ready.disconnect(sender=OutboxEvent, dispatch_uid="test.fails_for_bob")

    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.dispatched_at is not None
    assert fine.attempts == 1
    assert broken.dispatched_at is None
    assert "search index is down" in broken.last_error
    assert broken.next_attempt_at > timezone.now()
    # Only the failing consumer's work waits: both people have their notification.
    assert Notification.objects.filter(user__in=[alice, bob]).count() == 2


def test_a_drain_picks_and_locks_its_batch_and_records_the_outcomes_in_one_query_each(
    publish, queued
):
    for n in range(6):
        publish(EventType.REWARD_LOW_STOCK, low_stock(stock=n))  # webhooks only: nobody told

    with CaptureQueriesContext(connection) as queries:
        assert dispatch.deliver_all_pending().offered == 6

    on_events = [q["sql"] for q in queries.captured_queries if "events_outboxevent" in q["sql"]]
    reads = [sql for sql in on_events if sql.startswith("SELECT")]
    # The batch, the read that finds the outbox empty, the one after the claim is given back.
    assert len(reads) == 3
    if connection.features.has_select_for_update_skip_locked:  # SQLite has no row locks
        assert all(sql.endswith("FOR UPDATE SKIP LOCKED") for sql in reads)
    assert sum(sql.startswith("UPDATE") for sql in on_events) == 1
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_drain_skips_an_event_another_dispatcher_is_delivering(publish, queued):
    alice = UserFactory()
    held = publish(EventType.POINTS_GRANTED, points_granted(alice, amount=1))
    free = publish(EventType.POINTS_GRANTED, points_granted(alice, amount=2))
    locked, release = threading.Event(), threading.Event()

    def other_dispatcher() -> None:
        try:
            with transaction.atomic():
                OutboxEvent.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_dispatcher)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert dispatch.deliver_all_pending().offered == 1  # the held one is its holder's
    finally:
        release.set()
        thread.join()

    held.refresh_from_db()
    free.refresh_from_db()
    assert free.dispatched_at is not None
    assert held.dispatched_at is None
    assert held.attempts == 0
    assert Notification.objects.filter(user=alice).count() == 1


def test_an_event_keeps_the_id_of_the_request_that_recorded_it(client_for, hr_admin):
    request_id = uuid.uuid4().hex

    response = client_for(hr_admin).post(
        "/api/v1/points/grants/",
        {"user": UserFactory().pk, "amount": 5, "reason": "Traced"},
        format="json",
        HTTP_X_REQUEST_ID=request_id,
    )

    assert response.status_code == 201
    assert response["X-Request-ID"] == request_id
    assert OutboxEvent.objects.get(type=EventType.POINTS_GRANTED).request_id == request_id


def test_consumers_log_under_the_request_id_of_the_request_behind_each_event(publish, queued):
    events = {}
    for request_id in ("a" * 32, "b" * 32):
        set_guid(request_id)
        events[publish(EventType.REWARD_LOW_STOCK, low_stock()).pk] = request_id
    seen: dict[Any, str | None] = {}

    def note_request_id(sender: Any, event: OutboxEvent, **kwargs: Any) -> None:
        seen[event.pk] = get_guid()

    event_ready.connect(note_request_id, sender=OutboxEvent, dispatch_uid="test.request_id")
    set_guid("c" * 32)  # the drain task's own, from the request that queued it
    try:
        assert dispatch.deliver_all_pending().offered == 2
    finally:
        event_ready.disconnect(sender=OutboxEvent, dispatch_uid="test.request_id")
        task_request_id = get_guid()
        clear_guid()

    assert seen == events
    assert task_request_id == "c" * 32  # given back after each event
