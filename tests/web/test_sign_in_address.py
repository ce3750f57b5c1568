"""A person's sign-in address is the roster's: the account page shows it, never changes it."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_email_page_shows_the_address_and_sends_people_to_hr() -> None:
    person = UserFactory(email="ana@example.com")
    client = Client()
    client.force_login(person)

    page = client.get("/accounts/email/")

    assert page.status_code == 200
    assert "ana@example.com" in page.content.decode()
    assert "HR changes it" in page.content.decode()


def test_nobody_can_add_an_address_or_make_another_one_primary() -> None:
    person = UserFactory(email="ana@example.com")
    client = Client()
    client.force_login(person)

    added = client.post("/accounts/email/", {"action_add": "", "email": "ana@elsewhere.example"})
    made_primary = client.post(
        "/accounts/email/", {"action_primary": "", "email": "ana@elsewhere.example"}
    )

    assert added.status_code == made_primary.status_code == 405
    person.refresh_from_db()
    assert person.email == "ana@example.com"
    assert not EmailAddress.objects.filter(email="ana@elsewhere.example").exists()


def test_the_email_page_asks_a_visitor_to_sign_in() -> None:
    page = Client().get("/accounts/email/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
