"""A second Slack workspace from the admin: its own signing secret and bot token, stored
encrypted and never shown back; Slack's URL check answered."""

import json

import pytest
from django.test import Client

from plaudit.chat.models import Platform, Workspace
from plaudit.recognition.models import Recognition
from tests.factories import HRAdminFactory, UserFactory

from .signing import command_body, slack_headers
from .slack_requests import FORM, URL

pytestmark = pytest.mark.django_db

SECOND_SECRET = "second-workspace-signing-secret"


@pytest.fixture
def hr_client():
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    return client


def test_a_workspace_added_in_the_admin_uses_its_own_secret_and_token(
    client, fake_slack, django_capture_on_commit_callbacks
):
    Workspace.objects.create(
        platform=Platform.SLACK,
        external_id="T2",
        name="Second",
        bot_token="xoxb-second",
        signing_secret=SECOND_SECRET,
    )
    giver, ana = UserFactory(), UserFactory()
    fake_slack.add_user("V1", giver.email, team_id="T2")
    fake_slack.add_user("V2", ana.email, team_id="T2")
    body = command_body(
        "<@V2> 3 for it", team_id="T2", user_id="V1", response_url=fake_slack.response_url()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, body, content_type=FORM, **slack_headers(body, secret=SECOND_SECRET)
        )
    assert response.status_code == 200
    assert Recognition.objects.count() == 1
    assert {call.token for call in fake_slack.calls_to("users.info")} == {"xoxb-second"}


def test_an_inactive_workspace_gives_nothing(
    client, fake_slack, django_capture_on_commit_callbacks
):
    Workspace.objects.create(platform=Platform.SLACK, external_id="T1", active=False)
    giver, ana = UserFactory(), UserFactory()
    fake_slack.add_user("U1", giver.email)
    fake_slack.add_user("U2", ana.email)
    body = command_body("<@U2> 3 for it", response_url=fake_slack.response_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, body, content_type=FORM, **slack_headers(body))
    assert not Recognition.objects.exists()


def test_slacks_url_check_is_answered(client, fake_slack):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    response = client.post(URL, body, content_type="application/json", **slack_headers(body))
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


def test_the_admin_never_shows_a_secret_back(hr_client):
    workspace = Workspace.objects.create(
        platform=Platform.SLACK, external_id="T2", bot_token="xoxb-hidden", signing_secret="sh"
    )
    page = hr_client.get(f"/admin/chat/workspace/{workspace.pk}/change/")
    assert page.status_code == 200
    assert b"xoxb-hidden" not in page.content
    # Saved with the secrets left blank: the stored ones are kept.
    response = hr_client.post(
        f"/admin/chat/workspace/{workspace.pk}/change/",
        {
            "platform": "slack",
            "external_id": "T2",
            "name": "Renamed",
            "bot_token": "",
            "signing_secret": "",
            "webhook_url": "",
            "api_url": "",
            "channel": "C9",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    workspace.refresh_from_db()
    assert (workspace.name, workspace.bot_token, workspace.signing_secret) == (
        "Renamed",
        "xoxb-hidden",
        "sh",
    )


@pytest.mark.parametrize("model", ["workspace", "linkedaccount", "receipt"])
def test_each_list_opens(hr_client, model):
    assert hr_client.get(f"/admin/chat/{model}/").status_code == 200


def test_secrets_survive_a_key_rotation(settings, capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [old]}
    Workspace.objects.create(
        platform=Platform.MATTERMOST, external_id="m", bot_token="tok", webhook_url="https://x"
    )
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new, old]}
    call_command("rotate_reward_codes")
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new]}  # the old key is gone
    assert "secrets of 1 chat workspace with" in capsys.readouterr().out
    workspace = Workspace.objects.get()
    assert (workspace.bot_token, workspace.webhook_url, workspace.signing_secret) == (
        "tok",
        "https://x",
        "",
    )


def test_one_apps_secret_cannot_speak_for_another_workspace(
    client, fake_slack, django_capture_on_commit_callbacks
):
    Workspace.objects.create(
        platform=Platform.SLACK, external_id="T2", bot_token="xoxb-2", signing_secret=SECOND_SECRET
    )
    giver, ana = UserFactory(), UserFactory()
    fake_slack.add_user("U1", giver.email)
    fake_slack.add_user("U2", ana.email)
    # Signed with the second workspace's secret, claiming to come from the first (T1).
    body = command_body("<@U2> 3 for it", response_url=fake_slack.response_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, body, content_type=FORM, **slack_headers(body, secret=SECOND_SECRET))
    assert not Recognition.objects.exists()
    assert not Workspace.objects.filter(external_id="T1").exists()
