"""Emails name the installation (PLAUDIT_SITE_NAME) and its address (PLAUDIT_SITE_URL),
never the host a request happened to arrive on ("Hello from 127.0.0.1:8765!")."""

import pytest
from django.core import mail
from django.test import Client

from plaudit.events import emails
from plaudit.events.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(settings):
    settings.PLAUDIT = {
        **settings.PLAUDIT,
        "SITE_NAME": "Acme Kudos",
        "SITE_URL": "https://kudos.acme.example",
    }


def test_a_password_reset_email_says_plaudit_by_default_not_the_host(employee):
    Client(HTTP_HOST="127.0.0.1").post("/accounts/password/reset/", {"email": employee.email})

    [email] = mail.outbox
    assert email.subject == "[Plaudit] Reset your password"
    assert "Hello from Plaudit!" in email.body
    assert "127.0.0.1" not in email.subject + email.body


def test_a_password_reset_email_uses_the_configured_name_and_address(acme, employee):
    Client(HTTP_HOST="127.0.0.1").post("/accounts/password/reset/", {"email": employee.email})

    [email] = mail.outbox
    assert email.subject == "[Acme Kudos] Reset your password"
    assert "Hello from Acme Kudos!" in email.body
    assert "https://kudos.acme.example/accounts/password/reset/key/" in email.body
    assert "kudos.acme.example" in email.body.split("Thank you for using")[-1]
    assert "127.0.0.1" not in email.body


def test_notification_emails_and_digests_name_the_installation(acme, employee):
    NotificationPreference.objects.update_or_create(
        user=employee, defaults={"daily_digest": True, "email_enabled": True}
    )
    Notification.objects.create(
        user=employee, event="points.granted", title="You received 5 points", url="/me/points/"
    )

    assert emails.send_digest(employee.pk) == 1

    [digest] = mail.outbox
    assert digest.subject == "Acme Kudos: 1 new notification"
    assert "your Acme Kudos notification settings" in digest.body
    assert "https://kudos.acme.example/me/points/" in digest.body


def test_a_reset_for_an_unknown_address_says_so_in_sentence_case(db):
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    [email] = mail.outbox
    assert email.subject == "[Plaudit] No account uses this email address"
