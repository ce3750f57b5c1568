"""Chat's background work: thin Celery adapters taking ids and plain data.

A Slack request is acknowledged at once and its work queued here on commit (Slack's
three-second rule). The work is idempotent (receipts), so a task run twice gives
nothing twice; each answer is its own task, retried when Slack cannot take it now
(429 with ``Retry-After``, 5xx, unreachable) without doing the work again.

Posting to channels and direct messages is :mod:`.delivery`'s; a platform that fails is
retried on the delivery's own schedule (``next_attempt_at``, swept every minute by
:func:`retry_chat_deliveries`), an infrastructure failure (the database) by Celery's
backoff. The App Home is published here too, so Slack's event is acknowledged at once.
"""

from typing import Any

from celery import Task, shared_task

from plaudit.core.after_commit import enqueue
from plaudit.events.tasks import RETRY_ON, RETRYING

from . import delivery
from .models import Workspace
from .slack import commands, replies

# Slack unreachable (a refused connection, a timeout: OSError) is retried like the rest.
CHAT_RETRYING: dict[str, Any] = {**RETRYING, "autoretry_for": (*RETRY_ON, OSError)}
ANSWER_RETRIES = 8
LONGEST_WAIT_SECONDS = 600


def _send_all(workspace_id: int, answers: list[replies.Answer]) -> None:
    for answer in answers:
        enqueue(slack_answer, workspace_id, answer.as_data())


@shared_task(name="plaudit.chat.tasks.slack_kudos_command", **CHAT_RETRYING)
def slack_kudos_command(workspace_id: int, request: dict[str, str]) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id, active=True).first()
    if workspace is not None:
        _send_all(workspace_id, commands.kudos_command(workspace, **request))


@shared_task(name="plaudit.chat.tasks.slack_decision", **CHAT_RETRYING)
def slack_decision(workspace_id: int, request: dict[str, Any]) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id, active=True).first()
    if workspace is not None:
        _refusal, answers = commands.decide(workspace, **request)
        _send_all(workspace_id, answers)


@shared_task(
    name="plaudit.chat.tasks.slack_answer",
    bind=True,
    max_retries=ANSWER_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def slack_answer(self: Task, workspace_id: int, answer: dict[str, Any]) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return
    try:
        replies.send(workspace, replies.Answer(**answer))
    except replies.SlackUnavailable as exc:
        wait = exc.retry_after
        if wait is None:
            wait = min(LONGEST_WAIT_SECONDS, 5 * 2**self.request.retries)
        raise self.retry(exc=exc, countdown=wait) from exc


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
