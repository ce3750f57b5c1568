"""Answers to Slack: through a request's ``response_url`` or the Web API.

An :class:`Answer` is plain data (it crosses Celery as JSON). Sending one that Slack
cannot take now (429, 5xx, unreachable) raises :class:`SlackUnavailable` with how long
to wait (``Retry-After`` when Slack said), and the task tries again; a refusal that will
not change (an expired response_url, a channel the bot is not in) is logged and dropped.
"""

import logging
from dataclasses import asdict, dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from ..models import Workspace
from .client import TIMEOUT_SECONDS, web_client

logger = logging.getLogger(__name__)


class SlackUnavailable(Exception):
    """Slack did not take it now; try again in ``retry_after`` seconds (None: back off)."""

    def __init__(self, status: int | None, retry_after: int | None = None) -> None:
        super().__init__(f"slack answered {status}")
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answer:
    """One message: ``public`` in ``channel`` (in ``thread_ts`` if any), else privately to
    ``user``; by ``response_url`` when the request gave one."""

    text: str
    public: bool = False
    response_url: str = ""
    channel: str = ""
    user: str = ""
    thread_ts: str = ""
    replace_original: bool = False

    def as_data(self) -> dict[str, Any]:
        return asdict(self)


def _retry_after(headers: Any) -> int | None:
    raw = None
    if headers:
        for key, value in dict(headers).items():
            if key.lower() == "retry-after":
                raw = value[0] if isinstance(value, list) else value
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def send(workspace: Workspace, answer: Answer) -> None:
    if answer.response_url:
        _by_response_url(answer)
    else:
        _by_web_api(workspace, answer)


def _by_response_url(answer: Answer) -> None:
    body: dict[str, Any] = {
        "text": answer.text,
        "response_type": "in_channel" if answer.public else "ephemeral",
    }
    if answer.replace_original:
        body["replace_original"] = True
    try:
        response = WebhookClient(answer.response_url, timeout=TIMEOUT_SECONDS).send_dict(body)
    except OSError as exc:
        raise SlackUnavailable(None) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise SlackUnavailable(response.status_code, _retry_after(response.headers))
    if response.status_code >= 400:
        logger.warning("slack response_url refused an answer: %s", response.status_code)


def _by_web_api(workspace: Workspace, answer: Answer) -> None:
    client = web_client(workspace)
    try:
        if answer.public and answer.channel:
            client.chat_postMessage(
                channel=answer.channel, text=answer.text, thread_ts=answer.thread_ts or None
            )
        elif answer.channel and answer.user:
            client.chat_postEphemeral(
                channel=answer.channel,
                user=answer.user,
                text=answer.text,
                thread_ts=answer.thread_ts or None,
            )
        elif answer.user:
            # The app's own direct message with the person (its Messages tab).
            client.chat_postMessage(channel=answer.user, text=answer.text)
    except SlackApiError as exc:
        status = exc.response.status_code
        if status == 429 or status >= 500:
            raise SlackUnavailable(status, _retry_after(exc.response.headers)) from exc
        logger.warning("slack refused an answer: %s", exc.response.get("error"))
    except OSError as exc:
        raise SlackUnavailable(None) from exc
