"""Shortcuts open the kudos modal; its errors land on the right fields; Approve and
Reject go through the rewards service as the clicking person."""

import json

import pytest

from plaudit.recognition.models import Recognition
from plaudit.rewards.models import Redemption, RedemptionStatus
from plaudit.rewards.services import redeem_reward
from tests.factories import CompanyValueFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(fake_slack):
    giver, ana = UserFactory(first_name="Gia"), UserFactory(first_name="Ana")
    for user_id, person in (("U1", giver), ("U2", ana)):
        fake_slack.add_user(user_id, person.email)
    return giver, ana


def submission(
    *,
    users=("U2",),
    points="",
    message="",
    values=(),
    view_id="V1",
    user="U1",
    metadata=None,
):
    state = {
        "recipients": {"value": {"type": "multi_users_select", "selected_users": list(users)}},
        "points": {"value": {"type": "number_input", "value": points or None}},
        "values": {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": slug} for slug in values],
            }
        },
        "message": {"value": {"type": "plain_text_input", "value": message or None}},
    }
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": "T1"},
        "trigger_id": "t-submit",
        "view": {
            "id": view_id,
            "team_id": "T1",
            "type": "modal",
            "callback_id": "plaudit_kudos_modal",
            "private_metadata": json.dumps(metadata or {}),
            "hash": "h1",
            "state": {"values": state},
        },
    }


def opened_view(fake_slack):
    [call] = fake_slack.calls_to("views.open")
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_the_global_shortcut_opens_the_modal(slack, people, fake_slack):
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    response = slack.interaction(
        {
            "type": "shortcut",
            "callback_id": "plaudit_give_kudos",
            "trigger_id": "t-1",
            "user": {"id": "U1", "team_id": "T1"},
        }
    )
    assert response.status_code == 200
    view = opened_view(fake_slack)
    assert view["callback_id"] == "plaudit_kudos_modal"
    assert [block["block_id"] for block in view["blocks"]] == [
        "recipients",
        "points",
        "values",
        "message",
    ]


def test_the_message_shortcut_thanks_the_author(slack, people, fake_slack):
    slack.interaction(
        {
            "type": "message_action",
            "callback_id": "plaudit_thank_author",
            "trigger_id": "t-2",
            "user": {"id": "U1", "team_id": "T1"},
            "channel": {"id": "C7"},
            "message": {"type": "message", "user": "U2", "ts": "1700.1", "text": "shipped!"},
            "response_url": fake_slack.response_url(),
        }
    )
    view = opened_view(fake_slack)
    assert view["blocks"][0]["element"]["initial_users"] == ["U2"]
    assert json.loads(view["private_metadata"]) == {"channel": "C7", "thread_ts": "1700.1"}


def test_a_stranger_gets_a_notice_not_the_modal(slack, people, fake_slack):
    fake_slack.add_user("U9", "nobody@elsewhere.example")
    slack.interaction(
        {
            "type": "shortcut",
            "callback_id": "plaudit_give_kudos",
            "trigger_id": "t-3",
            "user": {"id": "U9", "team_id": "T1"},
        }
    )
    view = opened_view(fake_slack)
    assert "callback_id" not in view
    assert view["blocks"][0]["text"]["text"].startswith("Plaudit has no account")


def test_validation_errors_land_on_the_modals_fields(slack, people):
    response = slack.interaction(submission(users=["U1"], points="500", message=""))
    assert response.status_code == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            "recipients": "You cannot recognise yourself.",
            "message": "Say what they did: a thank-you needs a message.",
        },
    }
    response = slack.interaction(submission(points="500", message="for it"))
    assert response.json()["errors"] == {
        "points": "You have 100 points left to give this month; this needs 500."
    }
    response = slack.interaction(submission(users=[], message="for it"))
    assert response.json()["errors"] == {"recipients": "Choose 1 to 20 people to thank."}
    assert not Recognition.objects.exists()


def test_an_unknown_person_chosen_is_an_error_on_recipients(slack, people, fake_slack):
    fake_slack.add_user("U8", "stranger@elsewhere.example")
    response = slack.interaction(submission(users=["U2", "U8"], message="for it"))
    assert response.json()["errors"]["recipients"].startswith("Someone you chose has no Plaudit")


def test_a_valid_modal_gives_once_and_answers_in_the_thread(slack, people, fake_slack):
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    payload = submission(
        points="5",
        message="for the demo",
        values=["teamwork"],
        metadata={"channel": "C7", "thread_ts": "1700.1"},
    )
    first = slack.interaction(payload)
    assert first.status_code == 200
    assert first.content == b""  # closes the modal
    slack.interaction(payload)  # a double click
    recognition = Recognition.objects.get()
    assert [v.slug for v in recognition.values.all()] == ["teamwork"]
    # In the thread it came from (the recognitions channel gets its own post: chat-out).
    [post] = [c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == "C7"]
    assert post.params["thread_ts"] == "1700.1"
    assert post.params["text"] == "<@U1> gave 5 points to <@U2>: for the demo"
    [private] = fake_slack.calls_to("chat.postEphemeral")
    assert private.params["user"] == "U1"
    assert private.params["text"].endswith("you have 95 points left to give this month.")


# --- Approve and Reject ----------------------------------------------------------------


@pytest.fixture
def pending(fake_slack):
    manager = ManagerFactory()
    redeemer = UserFactory(manager=manager, with_points=500)
    bystander = UserFactory()
    for user_id, person in (("UM", manager), ("UR", redeemer), ("UB", bystander)):
        fake_slack.add_user(user_id, person.email)
    reward = RewardFactory(name="Mug", cost=100, stock=5)
    redemption = redeem_reward(user=redeemer, reward_id=reward.pk)
    assert redemption.status == RedemptionStatus.PENDING
    return redemption


def click(slack, action_id, redemption, user):
    return slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T1"},
            "trigger_id": f"t-{user}",
            "response_url": slack.fake.response_url("dm"),
            "channel": {"id": "D1"},
            "container": {"type": "message", "message_ts": "1.1"},
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "decide",
                    "type": "button",
                    "value": str(redemption.pk),
                    "action_ts": "1.2",
                }
            ],
        }
    )


def status(redemption):
    redemption.refresh_from_db()
    return redemption.status


def test_an_employee_clicking_approve_is_refused(slack, pending):
    assert click(slack, "plaudit_redemption_approve", pending, "UB").status_code == 200
    assert status(pending) == RedemptionStatus.PENDING
    [answer] = slack.answers()
    assert answer == {
        "text": "Only the person's manager or an HR admin may decide this.",
        "response_type": "ephemeral",
    }


def test_the_manager_approves(slack, pending):
    click(slack, "plaudit_redemption_approve", pending, "UM")
    assert status(pending) == RedemptionStatus.APPROVED
    assert Redemption.objects.get().decided_by.email == pending.user.manager.email
    [answer] = slack.answers()
    assert answer["replace_original"] is True
    assert answer["text"] == "You approved Mug for <@UR>."
    click(slack, "plaudit_redemption_approve", pending, "UM")  # a second click
    assert slack.answers()[-1]["text"].startswith("This redemption is approved")


def test_an_employee_clicking_reject_gets_no_modal(slack, pending, fake_slack):
    click(slack, "plaudit_redemption_reject", pending, "UB")
    assert fake_slack.calls_to("views.open") == []
    assert slack.answers()[0]["text"] == "Only the person's manager or an HR admin may decide this."


def test_the_manager_rejects_with_a_reason(slack, pending, fake_slack):
    click(slack, "plaudit_redemption_reject", pending, "UM")
    view = opened_view(fake_slack)
    assert view["callback_id"] == "plaudit_reject_modal"

    def submit(reason):
        return slack.interaction(
            {
                "type": "view_submission",
                "user": {"id": "UM", "team_id": "T1"},
                "view": {
                    "id": "VR",
                    "type": "modal",
                    "callback_id": "plaudit_reject_modal",
                    "private_metadata": view["private_metadata"],
                    "hash": "h",
                    "state": {
                        "values": {
                            "reason": {"value": {"type": "plain_text_input", "value": reason}}
                        }
                    },
                },
            }
        )

    blank = submit("  ")
    assert blank.json()["response_action"] == "errors"
    assert blank.json()["errors"]["reason"].startswith("Give a reason")
    assert status(pending) == RedemptionStatus.PENDING
    assert submit("Not this quarter").status_code == 200
    assert status(pending) == RedemptionStatus.REJECTED
    assert slack.answers()[-1]["text"] == "You rejected Mug for <@UR>."
