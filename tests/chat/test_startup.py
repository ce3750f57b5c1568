"""Nothing calls Slack at import or start-up; any /kudos text gets an answer, never an error."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaudit.chat import services
from plaudit.chat.parsing import SLACK
from plaudit.chat.slack import app as slack_app
from plaudit.people.models import User
from tests.factories import UserFactory

REPO = Path(__file__).resolve().parents[2]


def test_starting_plaudit_with_slack_configured_calls_slack_for_nothing(fake_slack):
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_BOT_TOKEN": "xoxb-start",
        "SLACK_API_URL": fake_slack.url,
    }
    code = (
        "import django; django.setup();"
        "import config.urls, plaudit.chat.slack.inbound, plaudit.chat.tasks"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        timeout=120,
    )
    subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, check=True, timeout=120
    )
    assert fake_slack.calls == []


@pytest.mark.django_db
def test_building_the_bolt_app_calls_slack_for_nothing(fake_slack):
    slack_app._app.cache_clear()
    assert slack_app.app_for(b"", {}) is not None
    assert fake_slack.calls == []


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=40)
    | st.lists(
        st.sampled_from(["<@U1>", "<@U2>", "<@U3|x>", "0", "7", "999", "-1", "#teamwork", "for"])
        | st.text(max_size=6),
        max_size=7,
    ).map(" ".join)
)
def test_any_text_gets_an_answer_never_an_error(fake_slack, text):
    workspace = services.slack_workspace("T1", create=True)
    assert workspace is not None
    people = {
        user_id: User.objects.filter(email=f"{user_id}@example.com").first()
        or UserFactory(email=f"{user_id}@example.com")
        for user_id in ("U1", "U2")
    }
    reply = services.give_kudos_from_chat(
        workspace=workspace,
        giver_id="U1",
        text=text,
        syntax=SLACK,
        resolve=people.get,
        receipt_key=str(uuid.uuid4()),
    )
    assert reply.text
