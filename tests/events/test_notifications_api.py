"""GET/POST /api/v1/notifications/...: each person sees and marks only their own."""

import pytest
from django.core import mail

from plaudit.events import emails
from plaudit.events.models import EventType, Notification, NotificationPreference
from tests.factories import UserFactory

from .payloads import points_granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(publish):
    def notify(person, amount=5, reason="Thanks"):
        publish(EventType.POINTS_GRANTED, points_granted(person, amount=amount, reason=reason))
        return Notification.objects.filter(user=person).order_by("-id").first()

    return notify


def test_the_list_shows_only_my_notifications_newest_first(client_for, notify):
    me, other = UserFactory(), UserFactory()
    older, newer = notify(me, amount=1), notify(me, amount=2)
    notify(other)

    response = client_for(me).get("/api/v1/notifications/")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert set(body["results"][0]) == {
        "id",
        "event",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
    }
    assert body["results"][0]["event"] == "points.granted"
    assert body["results"][0]["title"] == "You received 2 points"


def test_unread_filter_and_count_follow_what_i_read(client_for, notify):
    me = UserFactory()
    first, second = notify(me), notify(me)
    client = client_for(me)

    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 2}
    read = client.post(f"/api/v1/notifications/{first.pk}/read/")

    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 1}
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [item["id"] for item in unread] == [second.pk]


def test_reading_twice_keeps_the_first_reading_time(client_for, notify):
    me = UserFactory()
    note = notify(me)
    client = client_for(me)

    first = client.post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    second = client.post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]

    assert first == second


def test_someone_elses_notification_is_not_found_and_stays_unread(client_for, notify):
    me, other = UserFactory(), UserFactory()
    theirs = notify(other)

    response = client_for(me).post(f"/api/v1/notifications/{theirs.pk}/read/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_mine(client_for, notify):
    me, other = UserFactory(), UserFactory()
    notify(me), notify(me), notify(other)

    response = client_for(me).post("/api/v1/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_notifications_need_a_signed_in_person(client_for):
    response = client_for(None).get("/api/v1/notifications/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_muted_event_type_is_not_notified(client_for, notify):
    me = UserFactory()
    client = client_for(me)

    response = client.patch(
        "/api/v1/notifications/preferences/", {"muted_events": ["points.granted"]}
    )
    notify(me)

    assert response.status_code == 200
    assert response.json() == {
        "muted_events": ["points.granted"],
        "email_enabled": True,
        "daily_digest": False,
    }
    assert not Notification.objects.filter(user=me).exists()
    assert mail.outbox == []


def test_preferences_refuse_an_unknown_event_type_and_change_nothing(client_for):
    me = UserFactory()

    response = client_for(me).patch(
        "/api/v1/notifications/preferences/", {"muted_events": ["nope"], "email_enabled": False}
    )

    assert response.status_code == 400
    assert "muted_events" in response.json()["errors"]
    assert not NotificationPreference.objects.filter(user=me).exists()


def test_email_off_keeps_the_notification_in_the_app_only(client_for, notify):
    me = UserFactory()
    client_for(me).patch("/api/v1/notifications/preferences/", {"email_enabled": False})

    notify(me)

    assert Notification.objects.filter(user=me).count() == 1
    assert mail.outbox == []


def test_the_daily_digest_replaces_single_emails_and_goes_out_once_a_day(client_for, notify):
    me = UserFactory()
    client_for(me).patch("/api/v1/notifications/preferences/", {"daily_digest": True})
    notify(me, amount=1), notify(me, amount=2)
    assert mail.outbox == []

    assert emails.send_digest(me.pk) == 2
    assert emails.send_digest(me.pk) == 0  # the same day again

    [digest] = mail.outbox
    assert digest.to == [me.email]
    assert "You received 1 point\n" in digest.body
    assert "You received 2 points" in digest.body
    assert "You received 2 points" in digest.alternatives[0][0]
