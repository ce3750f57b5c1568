"""Recognitions posted to a Mattermost channel, as a message attachment.

:func:`send_recognition_post` makes one post (what :class:`.outbound.MattermostSender`
calls on each delivery attempt): through the workspace's incoming webhook when it has
one, else through ``POST /api/v4/posts`` with the bot's token into the workspace's
channel. It raises :class:`httpx.HTTPError` when Mattermost does not take the post (an
:class:`httpx.HTTPStatusError` carries the status and any ``Retry-After``; a
:class:`httpx.TransportError` an unreachable server), which the sender turns into the
delivery's retry or failure. The words are :mod:`plaudit.chat.content`'s, in the active
language: the company's, for a channel.
"""

import re
from typing import Any

import httpx

from plaudit.recognition.models import Recognition

from .. import formatting
from ..content import RecognitionPost, recognition_post
from ..delivery import DeliveryError
from ..models import Workspace
from .client import TIMEOUT_SECONDS, MattermostClient

COLOR = "#f5a623"
GROUP_MENTION = re.compile(r"@(?P<name>channel|all|here)\b", re.IGNORECASE)


def quiet_group_mentions(text: str) -> str:
    """``@channel``, ``@all`` and ``@here`` kept readable but inert (a word joiner after
    the ``@``): a thank-you written on the web must not ping a whole channel."""
    return GROUP_MENTION.sub("@\u2060\\g<name>", text)


def recognition_attachment(post: RecognitionPost) -> dict[str, Any]:
    """A Mattermost message attachment (Slack-compatible); the giver's message is its
    text, group mentions made inert."""
    attachment: dict[str, Any] = {
        "fallback": post.headline,
        "color": COLOR,
        "title": post.headline,
        "title_link": post.url,
        "text": quiet_group_mentions(post.message),
    }
    if post.values:
        attachment["footer"] = formatting.values_line(post.values)
    return attachment


def recognition_payload(post: RecognitionPost) -> dict[str, Any]:
    """The body of an incoming webhook call, or the ``props`` of a REST post."""
    return {"attachments": [recognition_attachment(post)]}


WEBHOOK = "webhook"


def destination(workspace: Workspace) -> str:
    """Where the workspace's posts go: its incoming webhook (its own channel), else its
    channel through the REST API; "" posts nothing."""
    return WEBHOOK if workspace.webhook_url else workspace.effective_channel()


def send_recognition_post(workspace: Workspace, recognition: Recognition | int) -> str:
    """Post ``recognition`` to the workspace's channel; returns Mattermost's post id (empty
    for an incoming webhook, which answers ``ok`` without one). A workspace with neither
    way to post raises a permanent :class:`~plaudit.chat.delivery.DeliveryError`."""
    pk = recognition if isinstance(recognition, int) else recognition.pk
    payload = recognition_payload(recognition_post(pk))
    if workspace.webhook_url:
        response = httpx.post(workspace.webhook_url, json=payload, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        return ""
    channel = workspace.effective_channel()
    if not (workspace.api_url and workspace.effective_bot_token() and channel):
        raise DeliveryError(
            f"mattermost workspace {workspace.pk} has no way to post", permanent=True
        )
    created = MattermostClient(workspace).create_post(channel, "", payload)
    return str(created.get("id") or "")
