"""Background work of the events app: thin Celery adapters that take ids, never instances.

Each task is safe to run twice (at-least-once delivery: ``acks_late`` means a
task whose worker died is run again). Infrastructure errors (database or SMTP
unreachable) are retried by Celery with exponential backoff and jitter; a
delivery that fails on its own terms records why and is retried by the sweeps.
"""

from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
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


@shared_task(
    name="plaudit.events.tasks.drain_outbox",
    bind=True,
    **RETRYING,
)
def drain_outbox(self: Task) -> int:
    """Queued when a change that recorded events commits: deliver every pending event.

    In a worker it lingers for more commits; run inline (no broker), it must not make
    the request that committed wait.
    """
    linger = 0.0 if self.request.is_eager else dispatch.DRAIN_LINGER_SECONDS
    return dispatch.drain_outbox(linger=linger)


@shared_task(name="plaudit.events.tasks.sweep_outbox", soft_time_limit=120, time_limit=150)
def sweep_outbox() -> int:
    """Beat, every minute: re-queue events whose trigger was lost or whose consumer failed."""
    return dispatch.sweep_outbox()


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
