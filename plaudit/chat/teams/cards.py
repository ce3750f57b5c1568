"""Adaptive Cards (schema 1.4, what Teams renders) for recognitions and kudos replies,
and the message activity that carries one."""

from typing import Any

from .. import formatting
from ..content import RecognitionPost

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict:
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.4",
        "body": body,
    }
    if actions:
        content["actions"] = actions
    return content


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def message_with(content: dict[str, Any], *, summary: str = "") -> dict[str, Any]:
    """A message activity carrying one Adaptive Card (what a webhook takes or answers)."""
    message: dict[str, Any] = {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": content}],
    }
    if summary:
        message["summary"] = summary
    return message


def recognition_card(post: RecognitionPost) -> dict[str, Any]:
    """A recognition for a channel: who thanked whom, the message, its values, a link.

    Adaptive Cards render a subset of Markdown in a TextBlock; the message is shown as
    the giver wrote it."""
    body = [
        text_block(post.headline, weight="Bolder", size="Medium"),
        text_block(post.message),
    ]
    if post.values:
        body.append(text_block(formatting.values_line(post.values), isSubtle=True, spacing="Small"))
    actions = [{"type": "Action.OpenUrl", "title": post.link_label, "url": post.url}]
    return card(body, actions)


def kudos_given_card(announcement: str, given: str) -> dict[str, Any]:
    """The reply in the thread once a kudos is given: what was given, the allowance left."""
    return card([text_block(announcement, weight="Bolder"), text_block(given, isSubtle=True)])
