"""Signing in and out with allauth, closed sign-up, password reset, and axes lockouts."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_signing_in_with_email_and_password_opens_the_home_page(employee):
    client = Client()

    response = _sign_in(client, employee.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_the_form_again_with_an_error(employee):
    response = _sign_in(Client(), employee.email, "not-the-password")

    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_the_sign_in_form_labels_every_field(db):
    page = Client().get("/accounts/login/").content.decode()

    assert '<label for="id_login">Email address' in page
    assert '<label for="id_password">' in page


def test_signing_out_is_a_post_and_ends_the_session(page_client, employee):
    client = page_client(employee)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_nobody_can_sign_up_people_come_from_hr(db):
    response = Client().post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "x-Very-long-1", "password2": "x-Very-long-1"},
    )

    assert b"Sign-up is closed" in response.content or response.status_code == 403
    from plaudit.people.models import User

    assert not User.objects.filter(email="new@example.com").exists()


def test_password_reset_mails_a_link_that_sets_a_new_password(employee):
    client = Client()
    client.post("/accounts/password/reset/", {"email": employee.email})
    assert len(mail.outbox) == 1
    # The link is on the site's address (PLAUDIT_SITE_URL), not the request's host.
    site = settings.PLAUDIT["SITE_URL"]
    link = re.search(rf"{re.escape(site)}(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link

    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "a-New-password-2026", "password2": "a-New-password-2026"},
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-New-password-2026")


def test_changing_my_password_needs_the_current_one(page_client, employee):
    client = page_client(employee)

    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "a-New-pass-2026", "password2": "a-New-pass-2026"},
    )
    right = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a-New-pass-2026",
            "password2": "a-New-pass-2026",
        },
    )

    assert wrong.status_code == 200
    assert right.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-New-pass-2026")


def test_five_wrong_passwords_lock_the_address_out_even_with_the_right_one(employee):
    client = Client()
    for _ in range(5):
        _sign_in(client, employee.email, "guess")

    response = _sign_in(client, employee.email)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/").status_code == 302  # still signed out


@pytest.mark.abuse
def test_the_api_token_endpoint_shares_the_lockout_as_a_problem_document(employee):
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"email": employee.email, "password": "guess"})

    response = client.post(
        "/api/v1/auth/token/", {"email": employee.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "locked_out"


@pytest.mark.abuse
def test_a_lockout_is_per_address_so_others_can_still_sign_in(employee, manager):
    client = Client()
    for _ in range(5):
        _sign_in(client, employee.email, "guess")

    response = _sign_in(client, manager.email)

    assert response.status_code == 302
