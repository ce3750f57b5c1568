"""Approve and Reject buttons on Mattermost (interactive messages), through the rewards
services with the linked person as the actor: the same permission checks as the web.

A button's integration context is signed by Plaudit: Mattermost does not sign the
requests its buttons make, so the context carries the action, the redemption, the
Mattermost user the message was sent to and an expiry, with an HMAC keyed with both
Plaudit's ``SECRET_KEY`` and the workspace's secret (whoever knows the slash command's
token alone cannot make one). Mattermost keeps contexts on the server (clients never
see them). A click by another user than the one the message was for is refused, and
the service then checks that this person may decide.

Approve decides at once. Reject opens an interactive dialog asking why (the reason is
required at every door); its submission comes back to
``/integrations/mattermost/dialogs/`` with the same signed context as its ``state``,
and a refusal of the reason is shown on the dialog's field.
"""

import json
import logging
import time
from typing import Any

import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from plaudit.core import wording
from plaudit.core.errors import DomainError
from plaudit.core.site import absolute_url
from plaudit.people.locales import speaking_to
from plaudit.people.models import User
from plaudit.rewards import services as rewards
from plaudit.rewards.models import MAX_REJECTION_REASON_LENGTH, Redemption, RedemptionStatus

from .. import content, formatting
from ..models import Platform, Workspace
from .accounts import person_for_user_id
from .client import MattermostClient

logger = logging.getLogger(__name__)

APPROVE = "approve"
REJECT = "reject"
LIFETIME_SECONDS = 30 * 24 * 3600
COLOR = "#f5a623"


# --- Signed contexts ------------------------------------------------------------------


def _signature(workspace: Workspace, context: dict[str, Any]) -> str:
    unsigned = {key: value for key, value in context.items() if key != "sig"}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"))
    secret = f"{settings.SECRET_KEY}:{workspace.effective_signing_secret()}"
    return salted_hmac(
        "plaudit.chat.mattermost.action", canonical, secret=secret, algorithm="sha256"
    ).hexdigest()


def signed_context(
    workspace: Workspace, *, action: str, redemption_id: int, user_id: str, now: float | None = None
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "action": action,
        "redemption": redemption_id,
        "user": user_id,
        "workspace": workspace.pk,
        "expires": int((time.time() if now is None else now) + LIFETIME_SECONDS),
    }
    context["sig"] = _signature(workspace, context)
    return context


def verified(context: object, user_id: str) -> tuple[Workspace, dict[str, Any]] | None:
    """The workspace and context of a genuine, unexpired button clicked by the user it
    was sent to; None otherwise."""
    if not isinstance(context, dict):
        return None
    workspace_id = context.get("workspace")
    if not isinstance(workspace_id, int) or isinstance(workspace_id, bool):
        return None
    workspace = (
        Workspace.objects.active().filter(platform=Platform.MATTERMOST, pk=workspace_id).first()
    )
    if workspace is None or not workspace.effective_signing_secret():
        return None
    if not constant_time_compare(str(context.get("sig") or ""), _signature(workspace, context)):
        return None
    expires = context.get("expires")
    if not isinstance(expires, int | float) or expires < time.time():
        return None
    if context.get("user") != user_id:
        return None
    return workspace, context


# --- The message a decider receives (sent by .outbound.MattermostSender) ----------------


def redemption_text(redemption: Redemption) -> str:
    return _("%(person)s asked for %(reward)s (%(points)s).") % {
        "person": str(redemption.user),
        "reward": redemption.reward.name,
        "points": wording.points(redemption.cost),
    }


BUTTON_ACTIONS = {content.APPROVE_ACTION: APPROVE, content.REJECT_ACTION: REJECT}
BUTTON_STYLES = {"primary": "success", "danger": "danger"}


def message_attachment(workspace: Workspace, message: content.DirectMessage, user_id: str) -> dict:
    """A direct message for Mattermost user ``user_id`` as an attachment; its Approve and
    Reject buttons (a redemption waiting for their decision) carry signed contexts."""
    url = absolute_url(reverse("chat:mattermost-actions"))

    def button(choice: content.Button) -> dict[str, Any]:
        action = BUTTON_ACTIONS[choice.action_id]
        context = signed_context(
            workspace, action=action, redemption_id=int(choice.value), user_id=user_id
        )
        return {
            "id": action,  # letters only: Mattermost routes a click by it
            "name": choice.label,
            "type": "button",
            "style": BUTTON_STYLES.get(choice.style, "default"),
            "integration": {"url": url, "context": context},
        }

    attachment: dict[str, Any] = {
        "fallback": message.fallback,
        "color": COLOR,
        "title": message.title,
        "title_link": message.url,
        "text": message.body,
    }
    buttons = [choice for choice in message.buttons if choice.action_id in BUTTON_ACTIONS]
    if buttons:
        attachment["actions"] = [button(choice) for choice in buttons]
    return attachment


def decided_attachment(redemption: Redemption, actor: User) -> dict[str, Any]:
    """The same message once decided: no buttons, who decided what."""
    if redemption.status == RedemptionStatus.APPROVED:
        outcome = _("Approved by %(name)s.") % {"name": str(actor)}
    else:
        outcome = _("Rejected by %(name)s: %(reason)s") % {
            "name": str(actor),
            "reason": redemption.reason,
        }
    return {
        "fallback": outcome,
        "color": COLOR,
        "title": _("A redemption waits for your decision"),
        "text": redemption_text(redemption),
        "footer": outcome,
    }


# --- Clicks and the reason dialog -------------------------------------------------------


def _load(redemption_id: object) -> Redemption | None:
    try:
        pk = int(str(redemption_id))
    except ValueError:
        return None
    return Redemption.objects.select_related("user", "reward").filter(pk=pk).first()


def _update(redemption: Redemption, actor: User) -> dict[str, Any]:
    return {
        "update": {"message": "", "props": {"attachments": [decided_attachment(redemption, actor)]}}
    }


def clicked(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A button's request → (status, Mattermost's action response)."""
    user_id = str(body.get("user_id") or "")
    found = verified(body.get("context"), user_id)
    if found is None:
        return 403, {"ephemeral_text": _("This button is not valid any more.")}
    workspace, context = found
    actor = person_for_user_id(workspace, user_id)
    if actor is None:
        return 200, {"ephemeral_text": formatting.no_account()}
    with speaking_to(actor):
        redemption = _load(context["redemption"])
        if redemption is None:
            return 200, {"ephemeral_text": _("This redemption no longer exists.")}
        if context["action"] == APPROVE:
            try:
                decided = rewards.approve_redemption(redemption_id=redemption.pk, actor=actor)
            except Redemption.DoesNotExist:
                return 200, {"ephemeral_text": _("This redemption no longer exists.")}
            except DomainError as exc:
                return 200, {"ephemeral_text": str(exc.detail)}
            return 200, _update(decided, actor)
        try:
            # Who may not decide, or a redemption decided already, is told at once.
            rewards.check_can_decide(actor, redemption)
            rewards.check_transition(
                redemption, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.REJECTED
            )
        except DomainError as exc:
            return 200, {"ephemeral_text": str(exc.detail)}
        _open_reason_dialog(workspace, body, context)
        return 200, {}


def _open_reason_dialog(
    workspace: Workspace, body: dict[str, Any], context: dict[str, Any]
) -> None:
    dialog = {
        "callback_id": "reject",
        "title": _("Reject the redemption"),
        "submit_label": _("Reject"),
        "notify_on_cancel": False,
        "state": json.dumps({**context, "post": str(body.get("post_id") or "")}),
        "elements": [
            {
                "display_name": _("Reason"),
                "name": "reason",
                "type": "textarea",
                "max_length": MAX_REJECTION_REASON_LENGTH,
                "help_text": _("The person sees it: say why and what they could do instead."),
            }
        ],
    }
    try:
        MattermostClient(workspace).open_dialog(
            str(body.get("trigger_id") or ""),
            absolute_url(reverse("chat:mattermost-dialogs")),
            dialog,
        )
    except httpx.HTTPError as exc:
        logger.warning("mattermost could not open the reason dialog: %s", exc)


def submitted(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The reason dialog's submission → (status, Mattermost's dialog response)."""
    if body.get("cancelled"):
        return 200, {}
    user_id = str(body.get("user_id") or "")
    try:
        state = json.loads(str(body.get("state") or ""))
    except ValueError:
        state = None
    post_id = str(state.pop("post", "")) if isinstance(state, dict) else ""
    found = verified(state, user_id)
    if found is None or found[1].get("action") != REJECT:
        return 403, {"error": _("This button is not valid any more.")}
    workspace, context = found
    actor = person_for_user_id(workspace, user_id)
    if actor is None:
        return 200, {"error": formatting.no_account()}
    submission = body.get("submission")
    reason = (submission.get("reason") if isinstance(submission, dict) else "") or ""
    with speaking_to(actor):
        try:
            decided = rewards.reject_redemption(
                redemption_id=int(context["redemption"]), actor=actor, reason=str(reason)
            )
        except Redemption.DoesNotExist:
            return 200, {"error": _("This redemption no longer exists.")}
        except DomainError as exc:
            if exc.field == "reason":
                return 200, {"errors": {"reason": str(exc.detail)}}
            return 200, {"error": str(exc.detail)}
        attachment = decided_attachment(decided, actor)
    if post_id:
        _patch_post(workspace, post_id, attachment)
    return 200, {}


def _patch_post(workspace: Workspace, post_id: str, attachment: dict[str, Any]) -> None:
    """Take the buttons off the decided message (best effort: the decision is made)."""
    try:
        MattermostClient(workspace).patch_post(post_id, {"props": {"attachments": [attachment]}})
    except httpx.HTTPError as exc:
        logger.warning("mattermost post %s could not be updated: %s", post_id, exc)
