"""Recognitions posted to a Teams channel as Adaptive Cards, through an incoming webhook.

:func:`send_recognition_post` makes one post (what :class:`.outbound.TeamsSender` calls
on each delivery attempt). The workspace's webhook URL is a Workflows one ("Post to a channel when a
webhook request is received", answering 202) or an older connector's (answering 200);
both take a message activity with the card as an attachment and give no message id. It
raises :class:`httpx.HTTPError` when Teams does not take the card (an
:class:`httpx.HTTPStatusError` carries the status and any ``Retry-After``: Teams answers
429 when a webhook posts too often), which the sender turns into the delivery's retry
or failure; without a webhook URL, a permanent
:class:`~plaudit.chat.delivery.DeliveryError`.
"""

from typing import Any

import httpx

from plaudit.recognition.models import Recognition

from ..content import recognition_post
from ..delivery import DeliveryError
from ..models import Workspace
from .cards import message_with, recognition_card

TIMEOUT_SECONDS = 10


def recognition_message(recognition: Recognition | int) -> dict[str, Any]:
    post = recognition_post(recognition if isinstance(recognition, int) else recognition.pk)
    return message_with(recognition_card(post), summary=post.headline)


def send_recognition_post(workspace: Workspace, recognition: Recognition | int) -> str:
    """Post ``recognition``'s card to the workspace's channel; returns "" (no id)."""
    if not workspace.webhook_url:
        raise DeliveryError(
            f"teams workspace {workspace.pk} has no incoming webhook URL", permanent=True
        )
    response = httpx.post(
        workspace.webhook_url, json=recognition_message(recognition), timeout=TIMEOUT_SECONDS
    )
    response.raise_for_status()
    return ""
