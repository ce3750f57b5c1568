"""/kudos from Slack: signed, acknowledged at once, given once (retries included),
answered in the channel with the allowance left, or privately with the API's refusal."""

import pytest
from celery.exceptions import Retry

from plaudit.chat.models import Workspace
from plaudit.chat.slack.replies import Answer
from plaudit.chat.tasks import slack_answer
from plaudit.recognition.models import Recognition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(fake_slack):
    giver = UserFactory(first_name="Gia")
    ana, ben = UserFactory(first_name="Ana"), UserFactory(first_name="Ben")
    for user_id, person in (("U1", giver), ("U2", ana), ("U3", ben)):
        fake_slack.add_user(user_id, person.email)
    return giver, ana, ben


def test_a_slash_command_gives_once_even_under_three_retries(slack, people):
    first = slack.command("<@U2|ana> <@U3> 10 for the on-call weekend #teamwork")
    assert first.status_code == 200
    for retry in (1, 2, 3):
        assert (
            slack.command(
                "<@U2|ana> <@U3> 10 for the on-call weekend #teamwork", retry=retry
            ).status_code
            == 200
        )
    recognition = Recognition.objects.get()
    assert recognition.awards.count() == 2
    public, private = slack.answers()
    assert public == {
        "text": "<@U1> gave 10 points each to <@U2> and <@U3>: for the on-call weekend #teamwork",
        "response_type": "in_channel",
    }
    assert private == {
        "text": "You gave 10 points each to <@U2> and <@U3>; "
        "you have 80 points left to give this month.",
        "response_type": "ephemeral",
    }


def test_a_double_send_with_another_trigger_is_another_kudos(slack, people):
    slack.command("<@U2> 1 for it", trigger_id="t1")
    slack.command("<@U2> 1 for it", trigger_id="t2")
    assert Recognition.objects.count() == 2


def test_over_the_allowance_is_answered_privately(slack, people):
    slack.command("<@U2> <@U3> 60 for everything")
    assert not Recognition.objects.exists()
    assert slack.answers() == [
        {
            "text": "You have 100 points left to give this month; this needs 120.",
            "response_type": "ephemeral",
        }
    ]


def test_yourself_and_unknown_people_are_answered_privately(slack, people, fake_slack):
    slack.command("<@U1> 1 for me", trigger_id="t1")
    fake_slack.add_user("U8", "stranger@elsewhere.example")
    slack.command("<@U8|zed> 1 for it", trigger_id="t2")
    slack.command("<@U404> 1 for it", trigger_id="t3")
    texts = [(a["response_type"], a["text"]) for a in slack.answers()]
    assert texts[0] == ("ephemeral", "You cannot recognise yourself.")
    assert texts[1][0] == texts[2][0] == "ephemeral"
    assert texts[1][1].startswith("<@U8> has no Plaudit account")
    assert texts[2][1].startswith("<@U404> has no Plaudit account")
    assert not Recognition.objects.exists()


def test_a_slack_user_without_an_account_is_answered_privately(slack, people, fake_slack):
    fake_slack.add_user("U9", "nobody@elsewhere.example")
    response = slack.command("<@U2> 5 for it", user="U9")
    assert response.status_code == 200
    [answer] = slack.answers()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Plaudit has no account with the email address")
    assert not Recognition.objects.exists()


def test_help_and_a_text_that_is_not_a_kudos(slack, people):
    slack.command("", trigger_id="t1")
    slack.command("10 for nothing", trigger_id="t2")
    first, second = (a["text"] for a in slack.answers())
    assert first.startswith("Thank someone like this: /kudos")
    assert second.startswith("Name the people to thank first.")


def test_slack_unreachable_the_command_is_still_acknowledged(slack, people, settings):
    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"  # nothing listens there
    assert slack.command("<@U2> 5 for it").status_code == 200
    assert not Recognition.objects.exists()


def test_an_answer_slack_cannot_take_now_is_retried_after_what_slack_said(
    slack, people, fake_slack
):
    fake_slack.fail("response_url", 429, retry_after=7)
    slack.command("<@U2> 5 for it")
    assert Recognition.objects.count() == 1
    refused, _private = slack.answers()  # the channel's answer was refused; the private one sent
    workspace = Workspace.objects.get()
    answer = Answer(refused["text"], public=True, response_url=fake_slack.response_url())
    fake_slack.fail("response_url", 429, retry_after=7)
    with pytest.raises(Retry) as retry:
        slack_answer.apply(args=[workspace.pk, answer.as_data()])
    assert retry.value.when == 7
    fake_slack.fail("response_url", 503)
    slack_answer.apply(args=[workspace.pk, answer.as_data()], throw=False)  # retried at once
    assert [a["text"] for a in slack.answers()].count(refused["text"]) == 4
    assert Recognition.objects.count() == 1


def test_in_the_recognition_channel_only_the_giver_is_answered(slack, people):
    # SLACK_CHANNEL is CKUDOS: every recognition is posted there anyway.
    slack.command("<@U2> 5 for it", channel_id="CKUDOS")
    assert Recognition.objects.count() == 1
    [private] = slack.answers()
    assert private["response_type"] == "ephemeral"
    assert private["text"].endswith("you have 95 points left to give this month.")
