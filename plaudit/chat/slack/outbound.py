"""Slack's outbound side: the :class:`SlackSender` of :mod:`plaudit.chat.delivery`, the
App Home, and reactions from Slack applied in Plaudit.

Everything here runs in a Celery task, never in a request or at start-up. What Slack
answers is turned into the delivery's terms: 429 waits its ``Retry-After``; 5xx,
``ratelimited`` and a connection that fails are tried again later; an error that
trying again will not mend (a channel the app is not in, a revoked token) fails.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import URLError

from django.conf import settings
from django.db import transaction
from django.utils import translation
from slack_sdk.errors import SlackApiError

from plaudit.core.errors import DomainError
from plaudit.people.locales import speaking_to
from plaudit.people.models import User
from plaudit.recognition.services import react, remove_reaction

from .. import content, services
from ..delivery import DIRECT_MESSAGE, MIRROR_REACTIONS, POST, DeliveryError, Unreachable
from ..models import ChatPost, ChatReaction, Workspace
from . import blocks, emoji
from .accounts import person_for_slack_user, slack_user_for_person
from .client import web_client

logger = logging.getLogger(__name__)

# Errors that no retry mends: the operator must act (invite the app, reinstall it).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "no_permission",
        "missing_scope",
        "invalid_blocks",
        "msg_too_long",
        "restricted_action",
    }
)
DEFAULT_RETRY_AFTER = 60.0


def _retry_after(error: SlackApiError) -> float:
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    raw = headers.get("retry-after")
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(float(raw), 1.0) if raw is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


@contextmanager
def slack_call(method: str, *, fine: frozenset[str] = frozenset()) -> Iterator[None]:
    """Slack's answers as :class:`DeliveryError`; error codes in ``fine`` are success
    (``already_reacted``: what was wanted is so)."""
    try:
        yield
    except SlackApiError as exc:
        status = exc.response.status_code
        code = str(exc.response.get("error") or "")
        if code in fine:
            return
        described = f"{method}: HTTP {status} {code}".strip()
        if status == 429:
            raise DeliveryError(described, retry_after=_retry_after(exc)) from exc
        if status >= 500 or code in {"ratelimited", "internal_error", "fatal_error"}:
            raise DeliveryError(described) from exc
        raise DeliveryError(described, permanent=code in PERMANENT_ERRORS) from exc
    except (URLError, OSError, TimeoutError) as exc:
        raise DeliveryError(f"{method}: Slack unreachable: {exc}") from exc


def _slack_user_id(workspace: Workspace, person: User) -> str | None:
    """Like :func:`.accounts.slack_user_for_person`, but Slack failing (5xx, 429, down)
    is a :class:`DeliveryError` to retry, not "nobody": only ``users_not_found`` is."""
    known = services.external_id_of(workspace, person)
    if known:
        return known
    answer = None
    with slack_call("users.lookupByEmail", fine=frozenset({"users_not_found"})):
        answer = web_client(workspace).users_lookupByEmail(email=person.email)
    user_id = ((answer.get("user") or {}).get("id")) if answer is not None else None
    if not user_id:
        return None
    services.remember_link(workspace, str(user_id), person)
    return str(user_id)


class SlackSender:
    supports = frozenset({POST, DIRECT_MESSAGE, MIRROR_REACTIONS})

    def destination(self, workspace: Workspace) -> str:
        return workspace.effective_channel()

    def post(self, workspace: Workspace, channel: str, recognition_id: int) -> str:
        def mention(person: User) -> str:
            user_id = slack_user_for_person(workspace, person)
            return f"<@{user_id}>" if user_id else blocks.escape(str(person))

        with slack_call("users.lookupByEmail"):
            post = content.recognition_post(recognition_id, name_of=mention)
        with slack_call("chat.postMessage"):
            answer = web_client(workspace).chat_postMessage(
                channel=channel,
                text=blocks.escape(post.fallback),
                blocks=blocks.recognition_blocks(post),
                unfurl_links=False,
                unfurl_media=False,
            )
        return str(answer["ts"])

    def direct_message(
        self, workspace: Workspace, person: User, message: content.DirectMessage
    ) -> None:
        user_id = _slack_user_id(workspace, person)
        if not user_id:
            raise Unreachable("The person has no Slack account in this workspace.")
        client = web_client(workspace)
        with slack_call("conversations.open"):
            channel = client.conversations_open(users=user_id)["channel"]["id"]
        with slack_call("chat.postMessage"):
            client.chat_postMessage(
                channel=channel,
                text=blocks.escape(message.fallback),
                blocks=blocks.direct_message_blocks(message),
                unfurl_links=False,
            )

    def mirror_reaction(
        self, workspace: Workspace, post: ChatPost, emoji_text: str, *, present: bool
    ) -> None:
        name = emoji.name_for(emoji_text)
        if name is None:
            raise Unreachable("Slack has no name for this emoji here.")
        client = web_client(workspace)
        if present:
            with slack_call("reactions.add", fine=frozenset({"already_reacted"})):
                client.reactions_add(channel=post.channel, timestamp=post.message_id, name=name)
        else:
            with slack_call("reactions.remove", fine=frozenset({"no_reaction"})):
                client.reactions_remove(channel=post.channel, timestamp=post.message_id, name=name)


# --- App Home ------------------------------------------------------------------------------


def publish_home(workspace_id: int, user_id: str) -> bool:
    """Publish the App Home of Slack user ``user_id``: their balance, allowance left and
    last thank-yous in their language, or, for a user Plaudit does not know, why not."""
    workspace = Workspace.objects.filter(pk=workspace_id, active=True).first()
    if workspace is None:
        return False
    try:
        person = person_for_slack_user(workspace, user_id)
        if person is not None:
            with speaking_to(person):
                view = blocks.home_view(content.home(person))
        else:
            with translation.override(settings.LANGUAGE_CODE):
                view = blocks.home_view(content.unlinked_home())
        web_client(workspace).views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        logger.warning("slack views.publish failed: %s", exc.response.get("error"))
        return False
    except (URLError, OSError) as exc:
        logger.warning("slack unreachable for the App Home: %s", exc)
        return False
    return True


# --- Reactions from Slack --------------------------------------------------------------------


def apply_reaction(
    workspace_id: int, user_id: str, channel: str, ts: str, name: str, *, added: bool
) -> bool:
    """A reaction on one of Plaudit's posts, made or taken back in Slack, as the linked
    person's through the recognition service (the one door). Anything else is ignored
    silently: a message Plaudit did not post, an emoji Plaudit does not take, a Slack
    user with no Plaudit account, the app's own mirrored reactions."""
    workspace = Workspace.objects.filter(pk=workspace_id, active=True).first()
    if workspace is None:
        return False
    post = (
        ChatPost.objects.select_related("recognition")
        .filter(workspace=workspace, channel=channel, message_id=ts)
        .first()
    )
    text = emoji.emoji_for(name)
    if post is None or text is None:
        return False
    person = person_for_slack_user(workspace, user_id)
    if person is None:
        return False
    try:
        if added:
            with transaction.atomic():
                reaction, created = react(user=person, recognition=post.recognition, emoji=text)
                if created:
                    ChatReaction.objects.get_or_create(workspace=workspace, reaction=reaction)
            return created
        return remove_reaction(user=person, recognition=post.recognition, emoji=text)
    except DomainError as exc:
        logger.info("slack reaction %s ignored: %s", name, exc.detail)
        return False
