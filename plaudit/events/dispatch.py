"""Offering outbox events to their consumers: at least once, each consumer idempotent.

An event is offered to every consumer (the receivers of :data:`signals.event_ready`,
registered with :func:`event_consumer` or :func:`live_consumer`) by
:func:`deliver_event`, or by :func:`deliver_pending` for a batch.
:func:`deliver_all_pending` delivers batch after batch until the outbox is empty:
it is the work of the ``drain_outbox`` task, which :func:`~.tasks.request_drain` queues
when a change that recorded events commits, so under load many commits share one
broker message, one task and one transaction. If no drain runs (broker down, worker
killed) or a consumer fails, the event stays pending, and the ``sweep_outbox`` task
(Celery beat, every minute) offers it again once :func:`~.backoff.next_attempt_at`
has come. Consumers de-duplicate on the event id, so offering an event twice has
one effect.

This module does the work and starts no task: the tasks call it (see
``docs/architecture.md``, "Events and side effects").
"""

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_guid import clear_guid, get_guid, set_guid

from plaudit.core.after_commit import run_after_commit
from plaudit.core.cache import claim

from .backoff import next_attempt_at
from .models import DeliveryStatus, OutboxEvent, WebhookDelivery
from .signals import event_ready

logger = logging.getLogger(__name__)

# A fresh event belongs to its on-commit drain for this long before the sweep steps in.
SWEEP_GRACE = timedelta(seconds=60)


def event_consumer(consume: Callable[[OutboxEvent], Any]) -> Callable[[OutboxEvent], Any]:
    """Register ``consume(event)`` as a consumer of every outbox event.

    Each consumer runs in its own savepoint, so one that fails rolls back only
    its own writes and the others' still commit; it must be idempotent.
    """

    @functools.wraps(consume)
    def receive(sender: type[OutboxEvent], event: OutboxEvent, **kwargs: Any) -> None:
        with transaction.atomic():
            consume(event)

    # Named after ``consume`` for failure reports, but with its own signature: under
    # DEBUG, Django refuses a receiver whose signature (read through ``__wrapped__``)
    # takes no keyword arguments, and no process would start.
    del receive.__wrapped__
    event_ready.connect(
        receive,
        sender=OutboxEvent,
        weak=False,
        dispatch_uid=f"{consume.__module__}.{consume.__qualname__}",
    )
    return consume


def live_consumer(push: Callable[[OutboxEvent], Any]) -> Callable[[OutboxEvent], Any]:
    """Register ``push(event)`` to tell open pages (WebSockets) about every outbox event.

    It runs once the delivery has committed, outside any transaction, so what it reads
    is committed and it holds no lock meanwhile; and only at an event's first offer:
    a retry (because another consumer failed) would push what is stale by then. A push
    is best effort, like the socket it goes to: one that fails is logged, not retried.
    """

    def push_robustly(event: OutboxEvent) -> None:
        # Not left to on_commit(robust=True): its log of a failure reads the callable's
        # __qualname__, which a partial lacks, so the failure escaped into the drain.
        try:
            push(event)
        except Exception:
            logger.warning(
                "Live push %s of event %s (%s) failed",
                push.__qualname__,
                event.pk,
                event.type,
                exc_info=True,
            )

    def receive(sender: type[OutboxEvent], event: OutboxEvent, **kwargs: Any) -> None:
        if event.attempts == 0:
            run_after_commit(functools.partial(push_robustly, event))

    event_ready.connect(
        receive,
        sender=OutboxEvent,
        weak=False,
        dispatch_uid=f"{push.__module__}.{push.__qualname__}",
    )
    return push


def deliver_event(event_id: Any) -> bool:
    """Offer one event to every consumer; True once all of them have taken it.

    The event row is locked (skipping it if another dispatcher holds it) so
    the on-commit task and the sweep never run the consumers side by side.
    """
    with transaction.atomic():
        event = OutboxEvent.objects.select_for_update(skip_locked=True).filter(pk=event_id).first()
        if event is None:
            return False
        if event.dispatched_at is not None:
            return True
        delivered = _offer(event, now=timezone.now())
        event.save(update_fields=OUTCOME_FIELDS)
    return delivered


def deliver_pending(*, limit: int) -> int:
    """Offer up to ``limit`` pending events, oldest first, to every consumer; how many.

    :func:`deliver_event` for a batch, in one transaction: the events are picked and
    locked in one query (skipping those another dispatcher holds) and their outcomes
    written in one ``UPDATE`` (one more for any that failed), so the per-event cost is
    the consumers' own work. Each consumer still runs in its own savepoint per event.
    """
    with transaction.atomic():
        events = list(_pending(older_than=timedelta(0)).select_for_update(skip_locked=True)[:limit])
        now = timezone.now()
        delivered = {event.pk: _offer(event, now=now) for event in events}
        # Delivered is the usual outcome, and the same for all: one plain UPDATE (a
        # bulk_update's CASE per field cost more to build than the consumers' work).
        if delivered_ids := [pk for pk, done in delivered.items() if done]:
            OutboxEvent.objects.filter(pk__in=delivered_ids).update(
                attempts=F("attempts") + 1, dispatched_at=now, next_attempt_at=None, last_error=""
            )
        if failed := [event for event in events if not delivered[event.pk]]:
            OutboxEvent.objects.bulk_update(failed, OUTCOME_FIELDS)
    return len(events)


OUTCOME_FIELDS = ["attempts", "last_error", "next_attempt_at", "dispatched_at"]


def _offer(event: OutboxEvent, *, now: datetime) -> bool:
    """Run every consumer on ``event`` and note the outcome on it (the caller saves it).

    Meanwhile the log's request id is the one of the request that recorded the event,
    not of whichever request queued this drain.
    """
    task_request_id = get_guid()
    if event.request_id:
        set_guid(event.request_id)
    try:
        failures = [
            f"{getattr(receiver, '__qualname__', receiver)}: {result!r}"
            for receiver, result in event_ready.send_robust(sender=OutboxEvent, event=event)
            if isinstance(result, Exception)
        ]
        event.attempts += 1
        if failures:
            event.last_error = "\n".join(failures)[:5000]
            event.next_attempt_at = next_attempt_at(event.attempts, now=now)
            logger.warning("Event %s (%s) failed: %s", event.pk, event.type, event.last_error)
        else:
            event.dispatched_at = now
            event.next_attempt_at = None
            event.last_error = ""
            logger.info("Event %s (%s) delivered", event.pk, event.type)
    finally:
        if task_request_id:
            set_guid(task_request_id)
        else:
            clear_guid()
    return not failures


# Held while a drain is queued or running; it expires in case that drain is lost.
DRAIN_CLAIM = "events:drain-queued"
DRAIN_CLAIM_SECONDS = 10
DRAIN_BATCH = 200
# A drain that still finds events after this long hands over to a fresh task, so the
# worker's other tasks (emails, webhooks) get their turn; well under the claim's life.
DRAIN_SECONDS = 5
# A worker's drain waits this long for more commits once the outbox is empty, looking
# again this often: delivery waits at most one poll, and a trickle costs no task each.
DRAIN_LINGER_SECONDS = 0.5
DRAIN_POLL_SECONDS = 0.05


def claim_drain() -> bool:
    """Whether the caller may queue a drain: none is queued or running."""
    return claim(DRAIN_CLAIM, DRAIN_CLAIM_SECONDS)


def release_drain() -> None:
    """From now on a commit queues the next drain."""
    cache.delete(DRAIN_CLAIM)


@dataclass(frozen=True)
class Drained:
    offered: int
    more_waiting: bool  # the drain stopped before the outbox was empty: queue another


def deliver_all_pending(
    *, batch: int = DRAIN_BATCH, seconds: float = DRAIN_SECONDS, linger: float = 0.0
) -> Drained:
    """Deliver pending events, oldest first, until none is left or time is up.

    The drain holds the claim while it runs, so commits in the meantime queue no
    task of their own: under load one task delivers the events of many commits, in
    batches. With ``linger`` it keeps the claim that long after the outbox runs dry,
    looking again every :data:`DRAIN_POLL_SECONDS`, so a steady trickle of commits is
    delivered by one task in small batches rather than by a task each. It gives the
    claim back when it stops, then reads once more, for the events committed while it
    still held the claim.
    """
    deadline = time.monotonic() + seconds
    cache.set(DRAIN_CLAIM, 1, DRAIN_CLAIM_SECONDS)  # running: the claim lives on from now
    offered = 0
    quiet_since: float | None = None
    while True:
        offered_now = deliver_pending(limit=batch)
        offered += offered_now
        now = time.monotonic()
        if offered_now and now > deadline:
            release_drain()
            return Drained(offered, more_waiting=True)
        if offered_now:
            quiet_since = None
            continue
        if quiet_since is None:
            quiet_since = now
        if now - quiet_since >= linger or now > deadline:
            break
        time.sleep(DRAIN_POLL_SECONDS)
    release_drain()
    last = deliver_pending(limit=batch)
    return Drained(offered + last, more_waiting=last == batch)


def _pending(*, older_than: timedelta) -> QuerySet[OutboxEvent]:
    """Undelivered events at least ``older_than`` old and due (not waiting out a backoff)."""
    now = timezone.now()
    return (
        OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=now - older_than)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
    )


def pending_event_ids(*, older_than: timedelta = SWEEP_GRACE, limit: int = 1000) -> list[Any]:
    """What the sweep offers again: its on-commit drain was lost, or a consumer failed."""
    return list(_pending(older_than=older_than).values_list("pk", flat=True)[:limit])


PURGE_BATCH = 1000


def purge_delivered_events(*, older_than: timedelta, batch: int = PURGE_BATCH) -> int:
    """Delete the events every consumer took more than ``older_than`` ago; how many.

    Never one still undelivered (the sweep's), nor one a webhook delivery is still
    retrying; the delivery log of the others goes with them, and their notifications
    stay (without their event). Deleted ``batch`` at a time, each batch its own
    transaction, so no lock is held long and an interrupted purge keeps what it did.
    """
    cutoff = timezone.now() - older_than
    retrying = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values("event_id")
    purged = 0
    while True:
        with transaction.atomic():
            expired = OutboxEvent.objects.filter(dispatched_at__lt=cutoff).exclude(pk__in=retrying)
            ids = list(expired.order_by("dispatched_at").values_list("pk", flat=True)[:batch])
            if not ids:
                return purged
            # Asked again as it deletes: a redelivery begun since the ids were read keeps
            # its event.
            OutboxEvent.objects.filter(pk__in=ids).exclude(pk__in=retrying).delete()
        purged += len(ids)
