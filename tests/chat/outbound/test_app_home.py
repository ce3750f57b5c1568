"""The App Home shows a person their balance, allowance left and last thank-yous."""

import json

import pytest

from plaudit.ledger.services import grant_points

from .helpers import blocks_text, send_event

pytestmark = pytest.mark.django_db


def open_home(client, user="U2", tab="home"):
    return send_event(
        client,
        {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab},
        event_id=f"Ev-{user}-{tab}",
    )


def published(fake_slack):
    [call] = fake_slack.calls_to("views.publish")
    view = call.params["view"]
    return call.params["user_id"], json.loads(view) if isinstance(view, str) else view


def test_a_linked_person_sees_their_balance_allowance_and_thank_yous(
    workspace, people, give, client, fake_slack, django_capture_on_commit_callbacks
):
    giver, ana, _ben = people
    grant_points(user=ana, amount=40, reason="Test grant", granted_by=None)
    give(giver, [ana], 15, "For the release notes")
    give(ana, [giver], 0, "Thanks for the review")
    fake_slack.reset()

    with django_capture_on_commit_callbacks(execute=True):
        assert open_home(client).status_code == 200

    user_id, view = published(fake_slack)
    assert user_id == "U2"
    assert view["type"] == "home"
    shown = blocks_text(view["blocks"])
    assert "*Your balance*\n55 points" in shown
    assert "*Left to give this month*\n100 points" in shown
    assert f"{giver} recognised you with 15 points" in shown
    assert ">For the release notes" in shown
    assert f"You thanked {giver}" in shown


def test_someone_plaudit_does_not_know_is_told_why(
    workspace, client, fake_slack, django_capture_on_commit_callbacks
):
    fake_slack.add_user("U9", "stranger@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):
        assert open_home(client, user="U9").status_code == 200

    _user_id, view = published(fake_slack)
    shown = blocks_text(view["blocks"])
    assert "Plaudit has no account with the email address of your chat profile" in shown
    assert "balance" not in shown


def test_the_messages_tab_publishes_nothing(
    workspace, people, client, fake_slack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert open_home(client, tab="messages").status_code == 200
    assert fake_slack.calls_to("views.publish") == []
