"""Background work of the events app: thin Celery adapters that take ids, never instances.

Each task calls the work in :mod:`.dispatch`, :mod:`.webhooks` or :mod:`.emails`,
which never start a task themselves; what starts one (recording an event, a new
notification or webhook delivery, a drain that ran out of time) queues it from
here or from above (``docs/architecture.md``, "Events and side effects").

Each task is safe to run twice (at-least-once delivery: ``acks_late`` means a
task whose worker died is run again). Infrastructure errors (database or SMTP
unreachable) are retried by Celery with its exponential backoff and jitter; a
delivery that fails on its own terms records why and when to try again
(:func:`~.backoff.next_attempt_at`), and the beat sweeps retry it then.
"""

from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError

from plaudit.core.after_commit import enqueue

from . import dispatch, emails, webhooks

# Infrastructure failures worth retrying: 5 s, 10 s, 20 s ... up to 10 minutes, jittered.
RETRY_ON = (DatabaseError, SMTPException, ConnectionError, TimeoutError)
RETRYING: dict[str, Any] = {
    "soft_time_limit": 60,
    "time_limit": 90,
    "autoretry_for": RETRY_ON,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(
    name="plaudit.events.tasks.dispatch_event",
    **RETRYING,
)
def dispatch_event(event_id: str) -> bool:
    return dispatch.deliver_event(event_id)


def request_drain() -> bool:
    """After a commit that recorded events: queue a drain unless one is queued or running.

    While the claim is held, the drain that holds it reads the outbox again before it
    stops, so it delivers this commit's events. False if the broker is down (the claim
    is given back: the next commit tries again, the sweep catches up).
    """
    if not dispatch.claim_drain():
        return True
    if enqueue(drain_outbox):
        return True
    dispatch.release_drain()
    return False


@shared_task(
    name="plaudit.events.tasks.drain_outbox",
    bind=True,
    **RETRYING,
)
def drain_outbox(self: Task) -> int:
    """Queued when a change that recorded events commits: deliver every pending event.

    In a worker it lingers for more commits; run inline (no broker), it must not make
    the request that committed wait. Out of time with events left, it hands them to a
    fresh task, so the worker's other tasks get their turn.
    """
    linger = 0.0 if self.request.is_eager else dispatch.DRAIN_LINGER_SECONDS
    drained = dispatch.deliver_all_pending(linger=linger)
    if drained.more_waiting:
        request_drain()
    return drained.offered


@shared_task(name="plaudit.events.tasks.sweep_outbox", soft_time_limit=120, time_limit=150)
def sweep_outbox(older_than_seconds: float = dispatch.SWEEP_GRACE.total_seconds()) -> int:
    """Beat, every minute: re-queue events whose drain was lost or whose consumer failed."""
    ids = dispatch.pending_event_ids(older_than=timedelta(seconds=older_than_seconds))
    for event_id in ids:
        if not enqueue(dispatch_event, str(event_id)):
            break  # the broker is down: the next sweep tries again, nothing is lost
    return len(ids)


@shared_task(
    name="plaudit.events.tasks.purge_delivered_events", soft_time_limit=540, time_limit=600
)
def purge_delivered_events() -> int:
    """Beat, daily: delete the events delivered more than PLAUDIT_OUTBOX_RETENTION_DAYS ago."""
    days = settings.PLAUDIT_OUTBOX_RETENTION_DAYS
    if days <= 0:
        return 0
    return dispatch.purge_delivered_events(older_than=timedelta(days=days))


@shared_task(
    name="plaudit.events.tasks.deliver_webhook",
    **RETRYING,
)
def deliver_webhook(delivery_id: int) -> str | None:
    return webhooks.attempt_delivery(delivery_id)


@shared_task(name="plaudit.events.tasks.retry_webhooks", soft_time_limit=120, time_limit=150)
def retry_webhooks() -> int:
    """Beat, every minute: queue the deliveries whose next attempt is due."""
    ids = webhooks.due_delivery_ids()
    for delivery_id in ids:
        if not enqueue(deliver_webhook, delivery_id):
            break
    return len(ids)


@shared_task(
    name="plaudit.events.tasks.send_notification_email",
    **RETRYING,
)
def send_notification_email(notification_id: int) -> bool:
    return emails.send_notification_email(notification_id)


@shared_task(
    name="plaudit.events.tasks.send_digest",
    **RETRYING,
)
def send_digest(user_id: int) -> int:
    return emails.send_digest(user_id)


@shared_task(name="plaudit.events.tasks.send_daily_digests", soft_time_limit=300, time_limit=330)
def send_daily_digests() -> int:
    """Beat, daily: one digest task per person who chose the digest."""
    ids = emails.digest_recipient_ids()
    for user_id in ids:
        enqueue(send_digest, user_id)
    return len(ids)
