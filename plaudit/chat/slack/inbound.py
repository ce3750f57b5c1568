"""Slack's inbound side: ``/kudos``, the shortcuts and their modal, approval buttons.

Every listener acknowledges at once (Slack's three seconds). ``/kudos`` and the buttons
queue their work in Celery on commit; a modal's submission is checked and given in the
request, because its errors go back in the acknowledgement (``response_action:
errors``, keyed by the blocks, which are named after the service's fields).
"""

import logging
from contextlib import nullcontext
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.errors import SlackApiError

from plaudit.core.after_commit import enqueue_after_commit
from plaudit.core.errors import DomainError
from plaudit.people.locales import speaking_to
from plaudit.rewards import services as rewards

from .. import formatting, services, tasks
from ..models import Workspace
from . import commands, ids, modals
from .accounts import person_for_slack_user
from .client import web_client
from .replies import Answer

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    """Add the inbound listeners to ``app``."""
    app.command(ids.COMMAND)(kudos_command)
    app.shortcut(ids.GLOBAL_SHORTCUT)(open_kudos_modal)
    app.shortcut(ids.MESSAGE_SHORTCUT)(open_kudos_modal)
    app.view(ids.KUDOS_CALLBACK)(submit_kudos)
    app.action(ids.APPROVE_ACTION)(approve_clicked)
    app.action(ids.REJECT_ACTION)(reject_clicked)
    app.view(ids.REJECT_CALLBACK)(submit_rejection)


def _workspace(context: BoltContext) -> Workspace:
    workspace = services.slack_workspace(context.team_id or "")
    assert workspace is not None  # authorize() let the request in
    return workspace


def _answer_later(workspace: Workspace, answers: list[Answer]) -> None:
    for answer in answers:
        enqueue_after_commit(tasks.slack_answer, workspace.pk, answer.as_data())


def _open(workspace: Workspace, trigger_id: str, view: dict[str, Any]) -> None:
    """Open a modal (a trigger lives three seconds: this cannot wait for Celery)."""
    try:
        web_client(workspace).views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, OSError) as exc:
        logger.warning("slack views.open failed: %s", exc)


# --- /kudos ---------------------------------------------------------------------------


def kudos_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack()
    workspace = _workspace(context)
    request = {
        "user_id": command.get("user_id", ""),
        "text": command.get("text", ""),
        "trigger_id": command.get("trigger_id", ""),
        "response_url": command.get("response_url", ""),
        "channel_id": command.get("channel_id", ""),
    }
    enqueue_after_commit(tasks.slack_kudos_command, workspace.pk, request)


# --- The kudos modal ------------------------------------------------------------------


def open_kudos_modal(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
    ack()
    workspace = _workspace(context)
    giver = person_for_slack_user(workspace, shortcut["user"]["id"])
    if giver is None:
        _open(workspace, shortcut["trigger_id"], modals.notice_modal(formatting.no_account()))
        return
    recipients: list[str] = []
    metadata: dict[str, str] = {}
    if shortcut.get("type") == "message_action":
        message = shortcut.get("message") or {}
        if message.get("user"):
            recipients = [message["user"]]
        metadata = {
            "channel": (shortcut.get("channel") or {}).get("id", ""),
            "thread_ts": message.get("thread_ts") or message.get("ts") or "",
        }
    with speaking_to(giver):
        view = modals.kudos_modal(recipients=recipients, metadata=metadata)
    _open(workspace, shortcut["trigger_id"], view)


def submit_kudos(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    workspace = _workspace(context)
    user_id = body["user"]["id"]
    giver = person_for_slack_user(workspace, user_id)
    if giver is None:
        ack(response_action="errors", errors={"message": formatting.no_account()})
        return
    form = modals.read_kudos(view)
    with speaking_to(giver):
        people, errors = commands.check_kudos_form(workspace, giver, form)
        if not errors:
            errors, answers = commands.give_from_modal(
                workspace,
                giver=giver,
                user_id=user_id,
                people=people,
                form=form,
                view_id=view["id"],
                metadata=modals.metadata_of(view),
            )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    _answer_later(workspace, answers)


# --- Approve and Reject -----------------------------------------------------------------


def _decision_request(body: dict[str, Any], action: dict[str, Any]) -> dict[str, Any]:
    return {
        "user_id": body["user"]["id"],
        "redemption_id": int(action.get("value") or 0),
        "response_url": body.get("response_url", ""),
        "channel": (body.get("channel") or {}).get("id", ""),
    }


def approve_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    workspace = _workspace(context)
    request = {**_decision_request(body, action), "approve": True}
    enqueue_after_commit(tasks.slack_decision, workspace.pk, request)


def reject_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """Ask why in a modal, unless the person may not decide (told privately at once)."""
    ack()
    workspace = _workspace(context)
    request = _decision_request(body, action)
    refusal = commands.may_decide(
        workspace, user_id=request["user_id"], redemption_id=request["redemption_id"]
    )
    if refusal is not None:
        answer = Answer(
            refusal,
            response_url=request["response_url"],
            channel=request["channel"],
            user=request["user_id"],
        )
        _answer_later(workspace, [answer])
        return
    actor = person_for_slack_user(workspace, request["user_id"])
    with speaking_to(actor) if actor else nullcontext():
        view = modals.reject_modal(request)
    _open(workspace, body["trigger_id"], view)


def submit_rejection(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    workspace = _workspace(context)
    request = modals.metadata_of(view)
    user_id = body["user"]["id"]
    try:
        redemption_id = int(request.get("redemption_id") or 0)
    except (TypeError, ValueError):
        redemption_id = 0
    actor = person_for_slack_user(workspace, user_id)
    if actor is None:
        ack(response_action="errors", errors={"reason": formatting.no_account()})
        return
    with speaking_to(actor):
        try:
            rewards.check_rejection_reason(modals.read_reason(view))
        except DomainError as exc:
            # Said only to who may decide: may_decide() was asked before the modal opened.
            ack(response_action="errors", errors={"reason": str(exc.detail)})
            return
        refusal, answers = commands.decide(
            workspace,
            user_id=user_id,
            redemption_id=redemption_id,
            approve=False,
            reason=modals.read_reason(view),
            response_url=str(request.get("response_url") or ""),
            channel=str(request.get("channel") or ""),
        )
    if refusal is not None:
        ack(response_action="errors", errors={"reason": refusal})
        return
    ack()
    _answer_later(workspace, answers)
