"""Requests signed exactly as Slack signs them (``v0=`` HMAC-SHA256 of
``v0:{timestamp}:{body}`` with the signing secret), through slack-sdk's own code."""

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"


def slack_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Django test-client headers for ``body``: ``X-Slack-Signature`` and its timestamp."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp, "HTTP_X_SLACK_SIGNATURE": str(signature)}


def command_body(text: str, **fields: Any) -> str:
    """A slash command's form body, as Slack sends it."""
    values = {
        "token": "deprecated",
        "team_id": "T1",
        "team_domain": "acme",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": "U1",
        "user_name": "giver",
        "command": "/kudos",
        "text": text,
        "api_app_id": "A1",
        "response_url": "https://hooks.slack.invalid/commands/T1/1/x",
        "trigger_id": "1.2.3",
        **fields,
    }
    return urlencode(values)


def interaction_body(payload: dict[str, Any]) -> str:
    """An interaction (shortcut, button, modal submission): ``payload=<json>``, form-encoded."""
    return urlencode({"payload": json.dumps(payload)})
