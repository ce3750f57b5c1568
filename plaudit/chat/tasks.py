"""Chat's background work: thin Celery adapters that take ids.

Sending is :mod:`.delivery`'s; a platform that fails is retried on the delivery's own
schedule (``next_attempt_at``, swept every minute by :func:`retry_chat_deliveries`),
an infrastructure failure (the database) by Celery's backoff. The App Home is
published here too, so Slack's event is acknowledged at once.
"""

from celery import shared_task

from plaudit.core.after_commit import enqueue
from plaudit.events.tasks import RETRYING

from . import delivery


@shared_task(name="plaudit.chat.tasks.send_chat_delivery", **RETRYING)
def send_chat_delivery(delivery_id: int) -> str | None:
    return delivery.attempt_delivery(delivery_id)


@shared_task(name="plaudit.chat.tasks.retry_chat_deliveries", soft_time_limit=120, time_limit=150)
def retry_chat_deliveries() -> int:
    """Beat, every minute: queue the chat deliveries whose next attempt is due."""
    ids = delivery.due_delivery_ids()
    for delivery_id in ids:
        if not enqueue(send_chat_delivery, delivery_id):
            break  # the broker is down: the next sweep tries again, nothing is lost
    return len(ids)


@shared_task(name="plaudit.chat.tasks.publish_slack_home", **RETRYING)
def publish_slack_home(workspace_id: int, user_id: str) -> bool:
    """``app_home_opened``: show the Slack user their Plaudit (best effort)."""
    from .slack.outbound import publish_home  # the platform's module, loaded when used

    return publish_home(workspace_id, user_id)


@shared_task(name="plaudit.chat.tasks.apply_slack_reaction", **RETRYING)
def apply_slack_reaction(
    workspace_id: int, user_id: str, channel: str, ts: str, name: str, added: bool
) -> bool:
    """A reaction added or removed on a post in Slack, applied in Plaudit."""
    from .slack.outbound import apply_reaction

    return apply_reaction(workspace_id, user_id, channel, ts, name, added=added)
