"""Every Slack request's signature is verified; one older than five minutes is refused."""

import time

import pytest

from .signing import command_body, slack_headers

pytestmark = pytest.mark.django_db

URL = "/integrations/slack/events/"


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/x-www-form-urlencoded", **headers)


def test_a_bad_signature_is_refused(client, fake_slack):
    body = command_body("<@U2> 1 for it")
    response = post(client, body, **slack_headers(body, secret="not-the-secret"))
    assert response.status_code == 401
    assert fake_slack.calls == []


def test_an_unsigned_request_is_refused(client, fake_slack):
    assert post(client, command_body("<@U2> 1 for it")).status_code == 401


def test_a_request_older_than_five_minutes_is_refused(client, fake_slack):
    body = command_body("<@U2> 1 for it")
    old = int(time.time()) - 5 * 60 - 10
    assert post(client, body, **slack_headers(body, timestamp=old)).status_code == 401


def test_a_tampered_body_is_refused(client, fake_slack):
    body = command_body("<@U2> 1 for it")
    headers = slack_headers(body)
    assert post(client, command_body("<@U2> 99 for it"), **headers).status_code == 401


def test_without_slack_configured_the_endpoint_is_not_there(client, settings):
    settings.SLACK_SIGNING_SECRET = ""
    body = command_body("<@U2> 1 for it")
    assert post(client, body, **slack_headers(body)).status_code == 404
