"""give_kudos_from_chat: the recognition service's door, once per receipt key."""

import pytest

from plaudit.chat import services
from plaudit.chat.models import LinkedAccount, Platform, Workspace
from plaudit.chat.parsing import SLACK
from plaudit.chat.slack.accounts import person_for_slack_user, slack_user_for_person
from plaudit.recognition.models import Recognition
from tests.factories import CompanyValueFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(fake_slack):
    return services.slack_workspace("T1", create=True)


@pytest.fixture
def people(fake_slack):
    giver, ana, ben = UserFactory(), UserFactory(first_name="Ana"), UserFactory(first_name="Ben")
    for user_id, person in (("U1", giver), ("U2", ana), ("U3", ben)):
        fake_slack.add_user(user_id, person.email.upper())
    return giver, ana, ben


def give(workspace, text, key="k1", giver_id="U1"):
    return services.give_kudos_from_chat(
        workspace=workspace,
        giver_id=giver_id,
        text=text,
        syntax=SLACK,
        resolve=lambda user_id: person_for_slack_user(workspace, user_id),
        receipt_key=key,
    )


def test_the_settings_workspace_needs_no_row_in_the_admin(workspace):
    assert workspace.platform == Platform.SLACK
    assert workspace.effective_bot_token() == "xoxb-test"
    assert Workspace.objects.get().bot_token == ""


def test_a_kudos_is_given_once_per_key_with_the_allowance_left(workspace, people, fake_slack):
    _giver, ana, ben = people
    CompanyValueFactory(slug="teamwork")
    reply = give(workspace, "<@U2> <@U3> 10 for the on-call weekend #teamwork")
    assert reply.public
    assert reply.text == (
        f"You gave 10 points each to {ana} and {ben}; you have 80 points left to give this month."
    )
    recognition = Recognition.objects.get()
    assert [v.slug for v in recognition.values.all()] == ["teamwork"]
    again = give(workspace, "<@U2> <@U3> 10 for the on-call weekend #teamwork")
    assert again.duplicate
    assert Recognition.objects.count() == 1
    # Each Slack user was looked up once, then read from the linked accounts.
    assert len(fake_slack.calls_to("users.info")) == 3
    assert LinkedAccount.objects.filter(person__isnull=False).count() == 3


def test_refusals_are_the_services_and_private(workspace, people):
    reply = give(workspace, "<@U2> 500 for everything")
    assert not reply.public
    assert reply.text == "You have 100 points left to give this month; this needs 500."
    assert give(workspace, "<@U1> 1 for me", key="k2").text == "You cannot recognise yourself."
    assert not Recognition.objects.exists()


def test_unknown_people(workspace, people, fake_slack):
    fake_slack.add_user("U9", "nobody@elsewhere.example")
    reply = give(workspace, "<@U9|zed> 1 for it")
    assert reply.text.startswith("<@U9> has no Plaudit account")
    stranger = give(workspace, "<@U2> 1 for it", giver_id="U9", key="k3")
    assert stranger.text.startswith("Plaudit has no account with the email address")
    assert not stranger.public


def test_a_person_is_found_in_slack_by_email(workspace, people, fake_slack):
    giver, _ana, _ben = people
    assert slack_user_for_person(workspace, giver) == "U1"
    assert slack_user_for_person(workspace, giver) == "U1"
    assert len(fake_slack.calls_to("users.lookupByEmail")) == 1


def test_secrets_are_stored_encrypted(db):
    Workspace.objects.create(
        platform=Platform.MATTERMOST, external_id="team", bot_token="tok-123", signing_secret="s3"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT bot_token, signing_secret FROM chat_workspace")
        stored = cursor.fetchone()
    assert "tok-123" not in stored[0]
    assert stored[1] != "s3"
    assert Workspace.objects.get().bot_token == "tok-123"


def test_the_reply_is_in_the_givers_language(workspace, people, settings):
    giver, _ana, _ben = people
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 5000}
    giver.language = "de"
    giver.save(update_fields=["language"])
    reply = give(workspace, "<@U2> 10 for it")
    assert "4.990" in reply.text  # grouped the German way: speaking_to(giver)
