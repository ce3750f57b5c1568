"""Mattermost: /kudos by an outgoing slash command (token verified), people linked by
email through the REST API, approval buttons with a signed context, posts to a channel.

A local Mattermost (tests/chat/fake_mattermost.py) answers the REST API v4 and the
incoming webhooks; commands are posted form-encoded with the token, as Mattermost does.
"""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from plaudit.chat.models import LinkedAccount, Platform, Receipt, Workspace
from plaudit.recognition.models import Recognition
from tests.factories import CompanyValueFactory, UserFactory

from .fake_mattermost import FakeMattermost

pytestmark = pytest.mark.django_db

COMMANDS = "/integrations/mattermost/commands/"
TOKEN = "xr3j4x8dxpnzmk9ex1bqmnkt5c"  # Mattermost's slash command tokens look like this
TEAM = "teamid0000000000000000000a"


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeMattermost]:
    fake = FakeMattermost()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def mattermost(_server: FakeMattermost) -> FakeMattermost:
    _server.reset()
    return _server


@pytest.fixture
def workspace(mattermost):
    return Workspace.objects.create(
        platform=Platform.MATTERMOST,
        external_id=TEAM,
        name="Acme",
        api_url=mattermost.url,
        bot_token="bot-access-token",
        signing_secret=TOKEN,
        channel="kudoschannel",
    )


@pytest.fixture
def people(mattermost):
    giver = UserFactory(first_name="Gil")
    ana = UserFactory(first_name="Ana")
    ben = UserFactory(first_name="Ben")
    mattermost.add_user("uidgiver", "gil", giver.email.upper())
    mattermost.add_user("uidana", "ana", ana.email)
    mattermost.add_user("uidben", "ben.s", ben.email)
    return giver, ana, ben


def command_form(text, **fields):
    return {
        "channel_id": "chan1",
        "channel_name": "town-square",
        "command": "/kudos",
        "response_url": "https://mattermost.invalid/hooks/commands/abc",
        "team_domain": "acme",
        "team_id": TEAM,
        "text": text,
        "token": TOKEN,
        "trigger_id": "dHJpZ2dlcjE6dWlkZ2l2ZXI6MTcwMDAwMDAwMDAwMDpzaWc=",
        "user_id": "uidgiver",
        "user_name": "gil",
        **fields,
    }


def post_command(client, text, *, header_token=TOKEN, **fields):
    """As Mattermost sends it: form-encoded, the token in the form and in the header."""
    headers = {"HTTP_AUTHORIZATION": f"Token {header_token}"} if header_token else {}
    return client.post(
        COMMANDS,
        urlencode(command_form(text, **fields)),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


# --- /kudos ---------------------------------------------------------------------------


def test_kudos_is_given_and_announced_in_the_channel(client, workspace, people, mattermost):
    giver, ana, ben = people
    CompanyValueFactory(slug="teamwork")
    response = post_command(client, "@ana @ben.s 10 for the on-call weekend #teamwork")
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "in_channel"
    assert body["text"] == (
        "@gil gave 10 points each to @ana and @ben.s: for the on-call weekend #teamwork"
    )
    assert body["extra_responses"] == [
        {
            "response_type": "ephemeral",
            "text": "You gave 10 points each to @ana and @ben.s; "
            "you have 80 points left to give this month.",
        }
    ]
    recognition = Recognition.objects.get()
    assert recognition.giver == giver
    assert {a.recipient for a in recognition.awards.all()} == {ana, ben}
    assert [v.slug for v in recognition.values.all()] == ["teamwork"]
    # The bot's token reached Mattermost; the links are cached by user id.
    assert mattermost.requests_to("/api/v4/users/uidgiver")[0].headers["Authorization"] == (
        "Bearer bot-access-token"
    )
    assert set(LinkedAccount.objects.values_list("external_user_id", flat=True)) == {
        "uidgiver",
        "uidana",
        "uidben",
    }


def test_a_retried_command_gives_exactly_one_kudos(client, workspace, people, mattermost):
    answers = [post_command(client, "@ana 5 for the review") for _ in range(4)]
    assert Recognition.objects.count() == 1
    assert answers[0].json()["response_type"] == "in_channel"
    for again in answers[1:]:
        assert again.json() == {"response_type": "ephemeral", "text": "This was already done."}
    assert Receipt.objects.count() == 1
    # Later commands read the cached links: Mattermost was asked about each user once.
    assert len(mattermost.requests_to("/api/v4/users/uidgiver")) == 1
    assert len(mattermost.requests_to("/api/v4/users/username/ana")) == 1


def test_a_new_command_with_the_same_text_gives_again(client, workspace, people):
    post_command(client, "@ana 5 for the review", trigger_id="first")
    post_command(client, "@ana 5 for the review", trigger_id="second")
    assert Recognition.objects.count() == 2


def test_without_a_trigger_id_a_repeat_within_the_minute_gives_once(client, workspace, people):
    for _ in range(3):
        post_command(client, "@ana 5 for the review", trigger_id="")
    assert Recognition.objects.count() == 1


def test_a_wrong_token_is_refused_and_gives_nothing(client, workspace, people, mattermost):
    response = post_command(client, "@ana 5 for it", header_token="", token="not-the-token")
    assert response.status_code == 403
    assert "token does not match" in response.content.decode()
    assert not Recognition.objects.exists()
    assert mattermost.requests == []


def test_the_header_token_is_checked_too(client, workspace, people):
    response = post_command(client, "@ana 5 for it", header_token="forged")
    assert response.status_code == 403
    assert not Recognition.objects.exists()


def test_a_request_without_a_token_is_refused(client, workspace, people):
    response = post_command(client, "@ana 5 for it", header_token="", token="")
    assert response.status_code == 401
    assert not Recognition.objects.exists()


def test_a_team_not_connected_is_refused_with_its_id(client, workspace, people):
    response = post_command(client, "@ana 5 for it", team_id="otherteam")
    assert response.status_code == 403
    assert "otherteam" in response.content.decode()
    workspace.active = False
    workspace.save()
    assert post_command(client, "@ana 5 for it").status_code == 403
    assert not Recognition.objects.exists()


def test_over_allowance_is_answered_privately(client, workspace, people):
    body = post_command(client, "@ana 500 for everything").json()
    assert body == {
        "response_type": "ephemeral",
        "text": "You have 100 points left to give this month; this needs 500.",
    }
    assert not Recognition.objects.exists()


def test_thanking_yourself_is_refused_privately(client, workspace, people):
    body = post_command(client, "@gil 5 for me").json()
    assert body == {"response_type": "ephemeral", "text": "You cannot recognise yourself."}


def test_an_unknown_person_is_answered_clearly(client, workspace, people, mattermost):
    mattermost.add_user("uidzed", "zed", "zed@elsewhere.example")
    body = post_command(client, "@zed 5 for it").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("@zed has no Plaudit account")
    nobody = post_command(client, "@nobody 5 for it", trigger_id="t2").json()
    assert nobody["text"].startswith("@nobody has no Plaudit account")
    assert not Recognition.objects.exists()


def test_a_giver_without_an_account_is_told_privately(client, workspace, people, mattermost):
    mattermost.add_user("uidstranger", "stranger", "stranger@elsewhere.example")
    body = post_command(client, "@ana 5 for it", user_id="uidstranger").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Plaudit has no account with the email address")


def test_an_unverified_address_never_names_a_person(client, workspace, people, mattermost):
    """With email verification off (Mattermost's default) anyone can type a colleague's
    address into their profile: such an account acts as nobody."""
    hr = UserFactory(email="hana.hr@acme.example")
    mattermost.add_user("uidimpostor", "impostor", hr.email, email_verified=False)
    body = post_command(client, "@ana 5 for it", user_id="uidimpostor").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Plaudit has no account")
    assert not Recognition.objects.exists()
    assert not LinkedAccount.objects.filter(person=hr).exists()


def test_a_hidden_email_is_not_cached_as_nobody(client, workspace, people, mattermost):
    mattermost.show_email = False
    body = post_command(client, "@ana 5 for it", trigger_id="t1").json()
    assert body["text"].startswith("Plaudit has no account")
    assert not LinkedAccount.objects.exists()
    mattermost.show_email = True  # the administrator turned Show Email Address on
    assert post_command(client, "@ana 5 for it", trigger_id="t2").json()["response_type"] == (
        "in_channel"
    )


def test_a_person_added_to_plaudit_later_is_linked_then(client, workspace, people, mattermost):
    mattermost.add_user("uidnew", "newbie", "newbie@acme.example")
    assert (
        post_command(client, "@newbie 5 for it", trigger_id="t1")
        .json()["text"]
        .startswith("@newbie has no Plaudit account")
    )
    UserFactory(email="newbie@acme.example")
    assert post_command(client, "@newbie 5 for it", trigger_id="t2").json()["response_type"] == (
        "in_channel"
    )


def test_help_and_unreadable_text_are_answered_privately(client, workspace, people):
    body = post_command(client, "help").json()
    assert body == {
        "response_type": "ephemeral",
        "text": "Thank someone like this: /kudos @ana @ben 10 for the on-call weekend #teamwork",
    }
    assert (
        post_command(client, "@ana 5", trigger_id="t2")
        .json()["text"]
        .startswith("Say what they did")
    )


# --- Posts to a channel ---------------------------------------------------------------


def give(giver, recipients, points=10, message="for the on-call weekend #teamwork"):
    from plaudit.recognition.services import Gift, give_recognition

    gifts = [Gift(recipient=person, points=points) for person in recipients]
    return give_recognition(giver=giver, message=message, gifts=gifts)


def test_a_recognition_is_posted_through_the_rest_api(workspace, people, mattermost, settings):
    from plaudit.chat.mattermost.posts import send_recognition_post

    settings.PLAUDIT = {**settings.PLAUDIT, "SITE_URL": "https://kudos.acme.example"}
    giver, ana, ben = people
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    recognition = give(giver, [ana, ben])
    post_id = send_recognition_post(workspace, recognition)
    [request] = mattermost.requests_to("/api/v4/posts")
    assert post_id.startswith("post")
    assert request.headers["Authorization"] == "Bearer bot-access-token"
    assert request.body["channel_id"] == "kudoschannel"
    assert request.body["message"] == ""
    [attachment] = request.body["props"]["attachments"]
    assert attachment == {
        "fallback": f"{giver} gave 10 points each to {ana} and {ben}",
        "color": "#f5a623",
        "title": f"{giver} gave 10 points each to {ana} and {ben}",
        "title_link": f"https://kudos.acme.example/recognitions/{recognition.pk}/",
        "text": "for the on-call weekend #teamwork",
        "footer": "Values: Teamwork",
    }


def test_a_recognition_is_posted_through_an_incoming_webhook(workspace, people, mattermost):
    from plaudit.chat.mattermost.posts import send_recognition_post

    giver, ana, _ben = people
    workspace.webhook_url = mattermost.url + "/hooks/xx8ff1pctbr3mq5bnqhxnmtguw"
    workspace.save()
    assert send_recognition_post(workspace, give(giver, [ana], points=0, message="thanks!")) == ""
    [request] = mattermost.requests_to("/hooks/xx8ff1pctbr3mq5bnqhxnmtguw")
    assert request.body["attachments"][0]["title"] == f"{giver} thanked {ana}"
    assert "footer" not in request.body["attachments"][0]
    assert mattermost.requests_to("/api/v4/posts") == []


def test_a_mattermost_outage_is_raised_for_the_delivery_to_retry(workspace, people, mattermost):
    import httpx

    from plaudit.chat.mattermost.posts import send_recognition_post

    giver, ana, _ben = people
    recognition = give(giver, [ana])
    mattermost.fail("/api/v4/posts", 503)
    with pytest.raises(httpx.HTTPStatusError) as raised:
        send_recognition_post(workspace, recognition)
    assert raised.value.response.status_code == 503
    assert send_recognition_post(workspace, recognition)


# --- Approve and Reject buttons ---------------------------------------------------------

ACTIONS = "/integrations/mattermost/actions/"
DIALOGS = "/integrations/mattermost/dialogs/"


@pytest.fixture
def waiting(workspace, mattermost):
    """A redemption waiting for Mona's decision (she manages Rui); both in Mattermost."""
    from plaudit.rewards.services import redeem_reward
    from tests.factories import ManagerFactory, RewardFactory

    mona = ManagerFactory(first_name="Mona")
    rui = UserFactory(first_name="Rui", manager=mona, with_points=500)
    mattermost.add_user("uidmona", "mona", mona.email)
    mattermost.add_user("uidrui", "rui", rui.email)
    redemption = redeem_reward(user=rui, reward_id=RewardFactory(name="Headphones", cost=100).pk)
    assert redemption.status == "pending"
    return redemption, mona


def buttons_sent(workspace, mattermost, redemption, decider):
    """The direct message the delivery sends ``decider`` about the waiting redemption."""
    from plaudit.chat import content
    from plaudit.chat.mattermost.outbound import MattermostSender
    from plaudit.events.models import EventType, OutboxEvent
    from plaudit.events.payloads import payload_of

    event = OutboxEvent.objects.get(type=EventType.REDEMPTION_CREATED)
    message = content.redemption_message(event.type, payload_of(event), decider.pk)
    MattermostSender().direct_message(workspace, decider, message)
    [attachment] = mattermost.requests_to("/api/v4/posts")[-1].body["props"]["attachments"]
    return {action["id"]: action for action in attachment["actions"]}, attachment


def click(client, action, user_id, **fields):
    body = {
        "user_id": user_id,
        "user_name": "someone",
        "channel_id": "dmchannel",
        "team_id": TEAM,
        "post_id": "post0000000000000000000001",
        "trigger_id": "dHJpZ2dlcg==",
        "type": "button",
        "context": action["integration"]["context"],
        **fields,
    }
    return client.post(ACTIONS, body, content_type="application/json")


def test_the_decider_gets_a_direct_message_with_buttons(workspace, waiting, mattermost):
    redemption, mona = waiting
    actions, attachment = buttons_sent(workspace, mattermost, redemption, mona)
    assert attachment["title"] == f"{redemption.user} redeemed Headphones"
    assert attachment["text"] == "100 points; waiting for approval."
    assert attachment["title_link"].endswith(f"/approvals/#redemption-{redemption.pk}")
    assert [action["name"] for action in attachment["actions"]] == ["Approve", "Reject"]
    assert set(actions) == {"approve", "reject"}
    assert actions["approve"]["integration"]["url"].endswith(ACTIONS)
    context = actions["approve"]["integration"]["context"]
    assert context["redemption"] == redemption.pk
    assert context["user"] == "uidmona"
    assert mattermost.requests_to("/api/v4/channels/direct")[0].body == [
        "botuserid00000000000000000",
        "uidmona",
    ]


def test_approve_goes_through_the_service_as_the_linked_person(
    client, workspace, waiting, mattermost
):
    redemption, mona = waiting
    actions, _attachment = buttons_sent(workspace, mattermost, redemption, mona)
    response = click(client, actions["approve"], "uidmona")
    assert response.status_code == 200
    [decided] = response.json()["update"]["props"]["attachments"]
    assert "actions" not in decided
    assert decided["footer"] == f"Approved by {mona}."
    redemption.refresh_from_db()
    assert redemption.status == "approved"
    assert redemption.decided_by == mona


def test_an_approval_button_checks_the_permission(client, workspace, waiting, mattermost):
    redemption, _mona = waiting
    colleague = UserFactory()
    mattermost.add_user("uidcolleague", "colleague", colleague.email)
    actions, _attachment = buttons_sent(workspace, mattermost, redemption, colleague)
    response = click(client, actions["approve"], "uidcolleague")
    assert response.json() == {
        "ephemeral_text": "Only the person's manager or an HR admin may decide this."
    }
    rejected = click(client, actions["reject"], "uidcolleague").json()
    assert rejected["ephemeral_text"] == "Only the person's manager or an HR admin may decide this."
    assert mattermost.requests_to("/api/v4/actions/dialogs/open") == []
    redemption.refresh_from_db()
    assert redemption.status == "pending"


def test_a_button_works_only_for_whom_it_was_sent_and_as_signed(
    client, workspace, waiting, mattermost
):
    redemption, mona = waiting
    actions, _attachment = buttons_sent(workspace, mattermost, redemption, mona)
    # Someone else pressing Mona's button (or posting its context as her neighbour).
    assert click(client, actions["approve"], "uidrui").status_code == 403
    forged = {**actions["approve"]["integration"]["context"], "redemption": redemption.pk + 1}
    assert click(client, actions["approve"], "uidmona", context=forged).status_code == 403
    unsigned = {k: v for k, v in forged.items() if k != "sig"}
    assert click(client, actions["approve"], "uidmona", context=unsigned).status_code == 403
    redemption.refresh_from_db()
    assert redemption.status == "pending"


def test_reject_asks_why_in_a_dialog_and_refuses_a_blank_reason(
    client, workspace, waiting, mattermost
):
    redemption, mona = waiting
    actions, _attachment = buttons_sent(workspace, mattermost, redemption, mona)
    assert click(client, actions["reject"], "uidmona").json() == {}
    [opened] = mattermost.requests_to("/api/v4/actions/dialogs/open")
    assert opened.body["trigger_id"] == "dHJpZ2dlcg=="
    assert opened.body["url"].endswith(DIALOGS)
    dialog = opened.body["dialog"]
    assert [element["name"] for element in dialog["elements"]] == ["reason"]

    def submit(reason, user_id="uidmona"):
        body = {
            "type": "dialog_submission",
            "callback_id": dialog["callback_id"],
            "state": dialog["state"],
            "user_id": user_id,
            "channel_id": "dmchannel",
            "team_id": TEAM,
            "submission": {"reason": reason},
            "cancelled": False,
        }
        return client.post(DIALOGS, body, content_type="application/json")

    blank = submit("   ").json()
    assert set(blank) == {"errors"}
    assert blank["errors"]["reason"].startswith("Give a reason")
    assert submit("Out of budget", user_id="uidrui").status_code == 403
    redemption.refresh_from_db()
    assert redemption.status == "pending"
    assert submit("Out of budget this quarter").json() == {}
    redemption.refresh_from_db()
    assert redemption.status == "rejected"
    assert redemption.reason == "Out of budget this quarter"
    [patched] = mattermost.requests_to("/api/v4/posts/post0000000000000000000001/patch")
    footer = patched.body["props"]["attachments"][0]["footer"]
    assert footer == f"Rejected by {mona}: Out of budget this quarter"


def test_an_expired_button_is_refused(client, workspace, waiting):
    import time

    from plaudit.chat.mattermost.actions import LIFETIME_SECONDS, signed_context

    redemption, _mona = waiting
    old = signed_context(
        workspace,
        action="approve",
        redemption_id=redemption.pk,
        user_id="uidmona",
        now=time.time() - LIFETIME_SECONDS - 60,
    )
    assert click(client, {"integration": {"context": old}}, "uidmona").status_code == 403


def test_a_posted_thank_you_does_not_ping_a_whole_channel(workspace, people, mattermost):
    from plaudit.chat.mattermost.posts import send_recognition_post

    giver, ana, _ben = people
    send_recognition_post(workspace, give(giver, [ana], message="thanks @channel and @ana"))
    [request] = mattermost.requests_to("/api/v4/posts")
    text = request.body["props"]["attachments"][0]["text"]
    assert text == "thanks @\u2060channel and @ana"
