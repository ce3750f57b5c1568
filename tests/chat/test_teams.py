"""Microsoft Teams: ``@Plaudit kudos …`` through an outgoing webhook (HMAC verified, as
Teams signs), recognitions posted as Adaptive Cards through an incoming webhook.

Requests are signed here exactly as Microsoft's documentation says Teams does, written
out independently of Plaudit's verifier: ``Authorization: HMAC `` + base64 of the
HMAC-SHA256 of the UTF-8 body, keyed with the base64-decoded security token.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest

from plaudit.chat.delivery import DeliveryError
from plaudit.chat.models import LinkedAccount, Platform, Workspace
from plaudit.chat.teams.posts import send_recognition_post
from plaudit.recognition.models import Recognition
from tests.factories import UserFactory

from .fake_teams import FakeTeamsWebhook

pytestmark = pytest.mark.django_db

URL = "/integrations/teams/messages/"
# What Teams shows once when the outgoing webhook is created: 32 random bytes, base64.
SECURITY_TOKEN = base64.b64encode(bytes(range(32))).decode()
BOT = {"id": "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c", "name": "Plaudit"}
GIVER = {"id": "29:1giver", "name": "Gil Giver", "aadObjectId": "aad-gil"}
ANA = {"id": "29:1ana", "name": "Ana Lopez"}
BEN = {"id": "29:1ben", "name": "Ben Stone"}


def teams_authorization(body: bytes, token: str = SECURITY_TOKEN) -> str:
    """Microsoft's sample, in Python: HMACSHA256(Convert.FromBase64String(token))."""
    digest = hmac.new(base64.b64decode(token), body, hashlib.sha256).digest()
    return "HMAC " + base64.b64encode(digest).decode()


def mention(user):
    return {"type": "mention", "text": f"<at>{user['name']}</at>", "mentioned": user}


def activity(text, *, mentioned=(ANA,), sender=GIVER, message_id="1485983408511"):
    """An outgoing webhook's activity, shaped as Teams sends it."""
    return {
        "type": "message",
        "id": message_id,
        "timestamp": "2026-12-07T21:10:07.437Z",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "from": sender,
        "conversation": {
            "isGroup": True,
            "id": "19:253b1f341670408fb6fe51050b6e5ceb@thread.skype;messageid=1485983408511",
        },
        "textFormat": "plain",
        "text": text,
        "entities": [
            mention(BOT),
            *(mention(user) for user in mentioned),
            {"type": "clientInfo", "locale": "en-GB", "platform": "Web"},
        ],
        "channelData": {
            "teamsChannelId": "19:253b1f341670408fb6fe51050b6e5ceb@thread.skype",
            "teamsTeamId": "19:712c61d0ef384e5fa681ba90ddc2ef0a@thread.skype",
            "tenant": {"id": "72f988bf-86f1-41af-91ab-2d7cd011db47"},
        },
    }


def post(client, payload, *, token=SECURITY_TOKEN, authorization=None):
    body = json.dumps(payload).encode()
    auth = authorization if authorization is not None else teams_authorization(body, token)
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=auth)


@pytest.fixture
def workspace(db):
    return Workspace.objects.create(
        platform=Platform.TEAMS,
        external_id="72f988bf-86f1-41af-91ab-2d7cd011db47",
        name="Acme",
        signing_secret=SECURITY_TOKEN,
    )


@pytest.fixture
def people(workspace):
    """Gil, Ana and Ben, their Teams accounts linked (as by the admin)."""
    giver = UserFactory(first_name="Gil")
    ana = UserFactory(first_name="Ana")
    ben = UserFactory(first_name="Ben")
    for user, person in ((GIVER, giver), (ANA, ana), (BEN, ben)):
        LinkedAccount.objects.create(
            workspace=workspace, external_user_id=user["id"], person=person
        )
    return giver, ana, ben


# --- Signing ------------------------------------------------------------------------


def test_a_bad_hmac_is_refused(client, people):
    other = base64.b64encode(b"another webhook's token, 32 byte").decode()
    response = post(
        client, activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for it"), token=other
    )
    assert response.status_code == 401
    assert not Recognition.objects.exists()


def test_an_unsigned_or_tampered_request_is_refused(client, people):
    payload = activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for it")
    assert post(client, payload, authorization="").status_code == 401
    signed_for = teams_authorization(json.dumps(payload).encode())
    payload["text"] = "<at>Plaudit</at> kudos <at>Ana Lopez</at> 50 for it"
    assert post(client, payload, authorization=signed_for).status_code == 401
    assert post(client, payload, authorization="Bearer x").status_code == 401
    assert not Recognition.objects.exists()


def test_an_inactive_workspace_is_refused(client, workspace, people):
    workspace.active = False
    workspace.save()
    response = post(client, activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for it"))
    assert response.status_code == 401


# --- Kudos ----------------------------------------------------------------------------


def test_kudos_is_given_and_answered_with_a_card(client, people):
    giver, ana, ben = people
    text = "<at>Plaudit</at>&nbsp;kudos <at>Ana Lopez</at> <at>Ben Stone</at> 10 for the release"
    response = post(client, activity(text, mentioned=(ANA, BEN)))
    assert response.status_code == 200
    reply = response.json()
    assert reply["type"] == "message"
    [attachment] = reply["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert [block["text"] for block in card["body"]] == [
        "Gil Giver gave 10 points each to Ana Lopez and Ben Stone: for the release",
        "You gave 10 points each to Ana Lopez and Ben Stone; "
        "you have 80 points left to give this month.",
    ]
    recognition = Recognition.objects.get()
    assert recognition.giver == giver
    assert {award.recipient for award in recognition.awards.all()} == {ana, ben}
    assert recognition.message == "for the release"


def test_a_repeated_activity_gives_exactly_one_kudos(client, people):
    payload = activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for the review")
    replies = [post(client, payload).json() for _ in range(4)]
    assert Recognition.objects.count() == 1
    assert "attachments" in replies[0]
    for again in replies[1:]:
        assert again["text"] == "<at>Gil Giver</at> This was already done."


def test_over_allowance_is_answered_to_the_giver_as_text(client, people):
    reply = post(client, activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 500 for all")).json()
    assert reply["text"] == (
        "<at>Gil Giver</at> You have 100 points left to give this month; this needs 500."
    )
    assert reply["entities"] == [
        {
            "type": "mention",
            "text": "<at>Gil Giver</at>",
            "mentioned": {"id": "29:1giver", "name": "Gil Giver"},
        }
    ]
    assert "attachments" not in reply
    assert not Recognition.objects.exists()


def test_an_unknown_person_is_answered_clearly(client, people):
    zed = {"id": "29:1zed", "name": "Zed"}
    reply = post(client, activity("<at>Plaudit</at> kudos <at>Zed</at> 5 for it", mentioned=(zed,)))
    assert reply.json()["text"] == (
        "<at>Gil Giver</at> Plaudit does not know which person Zed is yet, so they cannot be "
        "thanked here. They can link their account (@Plaudit link you@example.com), or a "
        "Plaudit administrator can link their chat account (id 29:1zed)."
    )
    # Linked by an address that is nobody's in Plaudit: the service's own answer.
    LinkedAccount.objects.create(
        workspace=people[0].chat_accounts.get().workspace,
        external_user_id="29:1zed",
        email="zed@elsewhere.example",
    )
    again = post(
        client,
        activity("<at>Plaudit</at> kudos <at>Zed</at> 5 for it", mentioned=(zed,), message_id="2"),
    )
    assert again.json()["text"] == (
        "<at>Gil Giver</at> Zed has no Plaudit account (none matches their chat email "
        "address), so they cannot be thanked here."
    )
    assert not Recognition.objects.exists()


def test_a_giver_plaudit_does_not_know_is_told_how_to_be_linked(client, people):
    stranger = {"id": "29:1stranger", "name": "Stranger"}
    reply = post(
        client, activity("<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for it", sender=stranger)
    ).json()
    assert reply["text"] == (
        "<at>Stranger</at> Plaudit does not know which person you are yet, so you cannot "
        "give kudos from here. Link your account with your work address (@Plaudit link "
        "you@example.com), or ask a Plaudit administrator to link your chat account "
        "(id 29:1stranger)."
    )
    assert not LinkedAccount.objects.filter(external_user_id="29:1stranger").exists()


def test_people_are_linked_by_the_address_the_activity_gives(client, workspace):
    giver, ana = UserFactory(), UserFactory()
    sender = {**GIVER, "userPrincipalName": giver.email.upper()}
    recipient = {**ANA, "email": ana.email}
    payload = activity(
        "<at>Plaudit</at> kudos <at>Ana Lopez</at> 5 for it", sender=sender, mentioned=(recipient,)
    )
    assert "attachments" in post(client, payload).json()
    assert Recognition.objects.get().giver == giver
    links = dict(LinkedAccount.objects.values_list("external_user_id", "person"))
    assert links == {"29:1giver": giver.pk, "29:1ana": ana.pk}


def test_yourself_and_help(client, people):
    me = post(
        client, activity("<at>Plaudit</at> kudos <at>Gil Giver</at> 5 for me", mentioned=(GIVER,))
    )
    assert me.json()["text"] == "<at>Gil Giver</at> You cannot recognise yourself."
    helped = post(client, activity("<at>Plaudit</at> help", message_id="2")).json()
    assert helped["text"] == (
        "<at>Gil Giver</at> Thank someone like this: @Plaudit kudos @ana @ben 10 for the "
        "on-call weekend #teamwork"
    )


# --- Posts to a channel ---------------------------------------------------------------


@pytest.fixture(scope="module")
def _webhook() -> Iterator[FakeTeamsWebhook]:
    server = FakeTeamsWebhook()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook(_webhook):
    _webhook.reset()
    return _webhook


def give(giver, recipients, points=10, message="for the on-call weekend #teamwork"):
    from plaudit.recognition.services import Gift, give_recognition

    gifts = [Gift(recipient=person, points=points) for person in recipients]
    return give_recognition(giver=giver, message=message, gifts=gifts)


def test_a_recognition_is_posted_as_an_adaptive_card(workspace, people, webhook, settings):
    from tests.factories import CompanyValueFactory

    settings.PLAUDIT = {**settings.PLAUDIT, "SITE_URL": "https://kudos.acme.example"}
    giver, ana, ben = people
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    recognition = give(giver, [ana, ben])
    workspace.webhook_url = webhook.url + "/workflows/abc/triggers/manual/paths/invoke"
    workspace.save()
    assert send_recognition_post(workspace, recognition) == ""
    [request] = webhook.requests
    assert request.path == "/workflows/abc/triggers/manual/paths/invoke"
    [attachment] = request.body["attachments"]
    card = attachment["content"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["version"] == "1.4"
    assert [block["text"] for block in card["body"]] == [
        f"{giver} gave 10 points each to {ana} and {ben}",
        "for the on-call weekend #teamwork",
        "Values: Teamwork",
    ]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open in Plaudit",
            "url": f"https://kudos.acme.example/recognitions/{recognition.pk}/",
        }
    ]


def test_a_teams_outage_is_raised_for_the_delivery_to_retry(workspace, people, webhook):
    import httpx

    giver, ana, _ben = people
    recognition = give(giver, [ana], points=0, message="thanks")
    workspace.webhook_url = webhook.url + "/hook"
    workspace.save()
    webhook.fail("/hook", 429, retry_after=7)
    with pytest.raises(httpx.HTTPStatusError) as raised:
        send_recognition_post(workspace, recognition)
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert send_recognition_post(workspace, recognition) == ""
    card = webhook.requests[-1].body["attachments"][0]["content"]
    assert card["body"][0]["text"] == f"{giver} thanked {ana}"


def test_without_a_webhook_url_nothing_is_sent(workspace, people):
    giver, ana, _ben = people
    with pytest.raises(DeliveryError) as raised:
        send_recognition_post(workspace, give(giver, [ana]))
    assert raised.value.permanent


# --- People link their own account by email -------------------------------------------


def test_a_person_links_their_teams_account_by_email(client, workspace, mailoutbox):
    from tests.factories import TEST_PASSWORD

    ana = UserFactory(first_name="Ana", email="ana@acme.example")
    UserFactory(email="gil@acme.example")
    stranger = {"id": "29:1stranger", "name": "Ana in Teams"}
    ask = activity(
        '<at>Plaudit</at> link <a href="mailto:ana@acme.example">ana@acme.example</a>',
        sender=stranger,
        mentioned=(),
    )
    reply = post(client, ask).json()
    assert reply["text"] == (
        "<at>Ana in Teams</at> If ana@acme.example is the address of someone in Plaudit, a "
        "link to confirm is on its way there. Open it within a day, signed in to Plaudit."
    )
    post(client, ask)  # asked again at once: not mailed twice
    [email] = mailoutbox
    assert email.to == ["ana@acme.example"]
    assert "shown as Ana in Teams" in email.body
    link = next(line for line in email.body.splitlines() if "/integrations/teams/link/" in line)
    path = link[link.index("/integrations/") :]

    client.login(username="gil@acme.example", password=TEST_PASSWORD)
    assert client.post(path).status_code == 403  # someone else signed in
    assert not LinkedAccount.objects.exists()

    client.login(username=ana.email, password=TEST_PASSWORD)
    page = client.get(path)
    assert page.status_code == 200
    assert "Connect the Teams account Ana in Teams to your Plaudit account?" in page.text
    assert not LinkedAccount.objects.exists()  # opening the link confirms nothing
    assert "is connected" in client.post(path).text
    assert LinkedAccount.objects.get().person == ana
    assert client.get(path[:-2] + "x/").status_code == 400  # a forged link


def test_an_address_nobody_has_is_answered_the_same_and_mails_nothing(
    client, workspace, mailoutbox
):
    ask = activity("<at>Plaudit</at> link nobody@acme.example", mentioned=())
    assert (
        post(client, ask)
        .json()["text"]
        .endswith(
            "If nobody@acme.example is the address of someone in Plaudit, a link to confirm is "
            "on its way there. Open it within a day, signed in to Plaudit."
        )
    )
    assert mailoutbox == []
    bare = post(client, activity("<at>Plaudit</at> link", mentioned=(), message_id="3")).json()
    assert bare["text"].endswith(
        "Link your chat account to Plaudit like this: @Plaudit link you@example.com"
    )
