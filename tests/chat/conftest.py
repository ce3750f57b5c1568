from collections.abc import Iterator
from typing import Any

import pytest

from .fake_slack import FakeSlack
from .signing import SIGNING_SECRET


@pytest.fixture(scope="session")
def _fake_slack_server() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_slack(_fake_slack_server: FakeSlack, settings: Any) -> Iterator[FakeSlack]:
    """The local Slack Web API, configured as the default workspace's (``SLACK_*``)."""
    _fake_slack_server.reset()
    _fake_slack_server.users.clear()
    settings.SLACK_API_URL = _fake_slack_server.url
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_CHANNEL = "CKUDOS"
    return _fake_slack_server


@pytest.fixture
def slack(client: Any, fake_slack: FakeSlack, django_capture_on_commit_callbacks: Any) -> Any:
    from .slack_requests import SlackRequests

    return SlackRequests(client, fake_slack, django_capture_on_commit_callbacks)
