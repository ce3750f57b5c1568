"""slack-sdk's WebClient for one workspace, pointed at ``SLACK_API_URL``.

Built on demand, never at import or start-up: Plaudit starts and serves while Slack is
unreachable. The tests point ``SLACK_API_URL`` at a local fake (tests/chat/fake_slack.py).
"""

from django.conf import settings
from slack_sdk import WebClient

from ..models import Workspace

TIMEOUT_SECONDS = 10


def web_client(workspace: Workspace | None = None, *, token: str | None = None) -> WebClient:
    """A client with ``workspace``'s bot token (or ``token``); no call is made here."""
    if token is None:
        token = workspace.effective_bot_token() if workspace else settings.SLACK_BOT_TOKEN
    base_url = settings.SLACK_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(token=token or None, base_url=base_url, timeout=TIMEOUT_SECONDS)
