"""Helpers of the outbound tests: rollbacks, deliveries, Slack's signed Events API
requests, and the text a Block Kit payload shows."""

import json
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from plaudit.chat.models import ChatDelivery, DeliveryStatus

from ..signing import slack_headers

URL = "/integrations/slack/events/"


def rolled_back(change: Callable[[], Any]) -> None:
    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            change()
            raise Undo
    except Undo:
        pass


def delivery(target: str = "channel") -> ChatDelivery:
    return ChatDelivery.objects.get(target=target)


def pending() -> list[ChatDelivery]:
    return list(ChatDelivery.objects.filter(status=DeliveryStatus.PENDING))


def event_body(event: dict[str, Any], *, event_id: str = "Ev1", team_id: str = "T1") -> str:
    return json.dumps(
        {
            "token": "deprecated",
            "team_id": team_id,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
    )


def send_event(client: Any, event: dict[str, Any], **kwargs: Any) -> Any:
    body = event_body(event, **kwargs)
    return client.post(URL, body, content_type="application/json", **slack_headers(body))


def blocks_text(blocks: Any) -> str:
    """Every text in a Block Kit payload, joined: what a reader of the message sees."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"text", "url"} and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)
