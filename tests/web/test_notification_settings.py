"""Notification settings in the web app: what to hear about, in the person's words."""

import pytest

from plaudit.events.models import EventType, Notification, NotificationPreference
from plaudit.events.services import preferences_of, update_preferences
from plaudit.recognition.services import Gift, give_recognition, react
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/notifications/settings/"
EVERYONE = [
    "recognition.created",
    "recognition.added_on",
    "recognition.commented",
    "recognition.reacted",
    "points.granted",
    "redemption.approved",
    "redemption.rejected",
    "redemption.fulfilled",
]


def _offered(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["hear_about"].choices]


def test_each_role_is_offered_only_the_events_it_can_hear_about(
    page_client, employee, manager, hr_admin
):
    assert _offered(page_client(employee).get(URL)) == EVERYONE
    assert _offered(page_client(manager).get(URL)) == [
        *EVERYONE,
        "redemption.created",
        "redemption.cancelled",
    ]
    assert "reward.low_stock" in _offered(page_client(hr_admin).get(URL))
    body = page_client(employee).get(URL).content.decode()
    assert "Someone reacts to a thank-you I am in" in body
    assert "waits for my decision" not in body


def test_by_default_everything_is_ticked_and_email_is_on(page_client, employee):
    body = page_client(employee).get(URL).content.decode()

    assert body.count("checked") == len(EVERYONE) + 1  # every event, and email
    assert not NotificationPreference.objects.exists()  # reading saves nothing


def test_unticking_an_event_mutes_it_and_the_person_no_longer_hears_it(page_client, employee):
    kept = [event for event in EVERYONE if event != "recognition.reacted"]

    response = page_client(employee).post(URL, {"hear_about": kept, "email_enabled": "on"})

    assert response.status_code == 302
    assert preferences_of(employee).muted_events == ["recognition.reacted"]
    kudos = give_recognition(giver=employee, message="Thanks", gifts=[Gift(UserFactory(), 1)])
    react(user=UserFactory(), recognition=kudos, emoji="🎉")
    assert not Notification.objects.filter(user=employee, event="recognition.reacted").exists()


def test_saving_leaves_alone_what_the_role_is_not_offered(page_client, employee):
    update_preferences(user=employee, muted_events=[EventType.REWARD_LOW_STOCK])

    response = page_client(employee).post(URL, {"hear_about": EVERYONE[1:]})

    assert response.status_code == 302, response.context["form"].errors

    preferences = NotificationPreference.objects.get(user=employee)
    assert preferences.muted_events == ["recognition.created", "reward.low_stock"]
    assert preferences.email_enabled is False


def test_a_digest_without_email_is_an_error_beside_it_and_nothing_is_saved(page_client, employee):
    response = page_client(employee).post(URL, {"hear_about": EVERYONE, "daily_digest": "on"})

    assert response.status_code == 422
    assert response.context["form"].errors["daily_digest"] == [
        "A digest is an email: also tick email to get it."
    ]
    assert not NotificationPreference.objects.exists()


def test_an_event_type_that_is_not_offered_is_refused(page_client, employee):
    response = page_client(employee).post(URL, {"hear_about": ["reward.low_stock"]})

    assert response.status_code == 422
    assert not NotificationPreference.objects.exists()


def test_the_page_shows_what_was_saved(page_client, employee):
    update_preferences(
        user=employee,
        muted_events=[EventType.POINTS_GRANTED],
        email_enabled=True,
        daily_digest=True,
    )

    form = page_client(employee).get(URL).context["form"]

    assert "points.granted" not in form.initial["hear_about"]
    assert form.initial["daily_digest"] is True
