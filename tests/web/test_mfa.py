"""Two-factor authentication in the web app: enrolment required of HR admins, signing in
with an authenticator app or a recovery code, and the passkey pages."""

import json
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import TEST_PASSWORD, HRAdminFactory, UserFactory

from .test_page_access import EVERYONE, HR_ONLY

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/"
REQUIRED_FOR_HR = override_settings(PLAUDIT_REQUIRE_MFA_FOR=["hr_admin"])


def current_code(secret: str) -> str:
    """What the person's authenticator app shows now (allauth's own HOTP over the time)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def other_code(secret: str) -> str:
    """A well-formed code the app does not show now (nor within the tolerance)."""
    return f"{(int(current_code(secret)) + 500_000) % 1_000_000:06d}"


def signed_in(email: str, *, confirmed: bool = False) -> Client:
    """Through the sign-in form; ``confirmed``: the password given again since, as allauth
    asks before an authenticator is added or removed."""
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    if confirmed:
        client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    return client


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@REQUIRED_FOR_HR
@pytest.mark.parametrize("url", [*EVERYONE, *HR_ONLY, "/admin/", "/admin/people/user/"])
def test_an_hr_admin_without_mfa_is_sent_to_enrol_from_every_page(page_client, url):
    hr = HRAdminFactory(is_staff=True)

    response = page_client(hr).get(url)

    assert response.status_code == 302
    assert response["Location"] == ENROL


@REQUIRED_FOR_HR
def test_the_enrolment_page_says_why_and_offers_the_app_and_a_passkey(page_client):
    page = page_client(HRAdminFactory()).get(ENROL).content.decode()

    assert "Your role must use two-factor authentication." in page
    assert 'href="/accounts/2fa/totp/activate/"' in page
    assert 'href="/accounts/2fa/webauthn/add/"' in page


@REQUIRED_FOR_HR
def test_a_superuser_counts_as_an_hr_admin(page_client):
    root = UserFactory(is_superuser=True, is_staff=True)

    assert page_client(root).get("/admin/")["Location"] == ENROL


@REQUIRED_FOR_HR
def test_signing_out_assets_and_health_stay_open_to_whoever_must_enrol(page_client):
    client = page_client(HRAdminFactory())

    assert client.get("/health/").status_code == 200
    assert client.get("/static/css/plaudit.css").status_code == 200
    assert client.get("/jsi18n/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


@REQUIRED_FOR_HR
def test_the_api_answers_the_session_of_whoever_must_enrol_with_a_problem(page_client):
    response = page_client(HRAdminFactory()).get("/api/v1/me/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "mfa_required"


@REQUIRED_FOR_HR
@pytest.mark.parametrize("url", EVERYONE)
def test_an_employee_is_not_forced_to_enrol(page_client, employee, url):
    assert page_client(employee).get(url).status_code == 200


def test_without_the_setting_nobody_is_forced(page_client, hr_admin):
    assert page_client(hr_admin).get("/hr/people/").status_code == 200


@REQUIRED_FOR_HR
def test_an_hr_admin_enrols_an_authenticator_app_then_reaches_every_page():
    hr = HRAdminFactory()
    client = signed_in(hr.email)
    assert client.get("/")["Location"] == ENROL

    # allauth asks for the password again before a factor is added (a stolen session
    # could otherwise add its own).
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": TEST_PASSWORD})
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in form.content.decode()  # the key to type, beside the QR code
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    for url in [*EVERYONE, *HR_ONLY]:
        assert client.get(url).status_code == 200, url


@REQUIRED_FOR_HR
def test_enrolment_refuses_a_wrong_code():
    hr = HRAdminFactory()
    client = signed_in(hr.email, confirmed=True)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]

    response = client.post("/accounts/2fa/totp/activate/", {"code": other_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=hr).exists()


def test_the_authenticator_apps_secret_is_encrypted_at_rest(employee):
    secret = with_totp(employee)

    stored = Authenticator.objects.get(user=employee).data["secret"]

    assert secret not in stored
    assert stored.startswith("fernet:")


def test_signing_in_with_mfa_asks_for_the_code_then_opens_the_home_page(employee):
    secret = with_totp(employee)
    client = Client()

    response = client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/")["Location"].startswith("/accounts/login/")  # not signed in yet
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Two-factor authentication" in page
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_and_nobody_is_signed_in(employee):
    secret = with_totp(employee)
    client = Client()
    client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})

    response = client.post("/accounts/2fa/authenticate/", {"code": other_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_signs_in_once(employee):
    with_totp(employee)
    code = RecoveryCodes.activate(employee).get_unused_codes()[0]

    def sign_in_with(recovery_code: str) -> Client:
        client = Client()
        client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": recovery_code})
        return client

    assert sign_in_with(code).get("/").status_code == 200
    assert sign_in_with(code).get("/").status_code == 302  # used up


def test_the_recovery_codes_page_lists_the_unused_codes(employee):
    with_totp(employee)
    codes = RecoveryCodes.activate(employee).get_unused_codes()
    client = signed_in(employee.email)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})

    page = client.get("/accounts/2fa/recovery-codes/").content.decode()

    assert "9 of 10 recovery codes are unused." in page
    assert codes[1] in page
    assert codes[0] not in page


@override_settings(
    PLAUDIT={**settings.PLAUDIT, "SITE_URL": "https://kudos.example.com", "SITE_NAME": "Acme Kudos"}
)
def test_the_passkey_page_offers_registration_options_for_the_sites_own_domain(employee):
    client = signed_in(employee.email, confirmed=True)

    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 200, response
    page = response.content.decode()

    assert "<h1" in page
    assert "Add a passkey" in page
    data = json.loads(re.search(r'id="js_data"[^>]*>(.*?)</script>', page, re.S).group(1))
    options = data["creation_options"]["publicKey"]
    assert options["rp"] == {"id": "kudos.example.com", "name": "Acme Kudos"}
    assert options["user"]["name"] == employee.email
    assert options["challenge"]


def test_the_sign_in_page_offers_a_passkey(db):
    page = Client().get("/accounts/login/").content.decode()

    assert 'id="passkey_login"' in page
    assert "Sign in with a passkey" in page
    assert 'action="/accounts/2fa/webauthn/login/"' in page


def test_authenticator_codes_cannot_be_guessed_without_limit_in_the_web_app(employee):
    from plaudit.audit.models import AuditEvent

    secret = with_totp(employee)
    client = Client()
    client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})

    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": other_code(secret)})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code." not in response.content.decode()
    assert client.get("/").status_code == 302  # the right code, too late: still refused
    failed = AuditEvent.objects.filter(action="auth.mfa_code_failed", actor=employee)
    assert failed.count() == 5
    assert failed.first().details["via"] == "web"
