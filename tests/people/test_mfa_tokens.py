"""Tokens and multi-factor authentication: no token for an HR admin who must enrol, and a
password alone never obtains one for a person who uses an authenticator."""

import time
from io import StringIO

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, HRAdminFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REQUIRED_FOR_HR = override_settings(PLAUDIT_REQUIRE_MFA_FOR=["hr_admin"])


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def ask_for_token(email: str, **extra: str):
    return APIClient().post(TOKEN_URL, {"email": email, "password": TEST_PASSWORD, **extra})


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@REQUIRED_FOR_HR
def test_an_hr_admin_without_mfa_gets_no_token_and_is_told_why():
    hr = HRAdminFactory()

    response = ask_for_token(hr.email)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "mfa_required"
    assert "multi-factor authentication" in body["detail"]


def test_without_the_setting_an_hr_admin_gets_a_token_with_a_password():
    assert ask_for_token(HRAdminFactory().email).status_code == 200


@REQUIRED_FOR_HR
def test_an_employee_gets_a_token_when_hr_must_use_mfa(employee):
    assert ask_for_token(employee.email).status_code == 200


def test_a_token_from_before_the_requirement_stops_working_until_the_hr_admin_enrols():
    hr = HRAdminFactory()
    access = ask_for_token(hr.email).json()["access"]

    with REQUIRED_FOR_HR:
        refused = bearer(access).get("/api/v1/me/")
        TOTP.activate(hr, generate_totp_secret())
        allowed = bearer(access).get("/api/v1/me/")

    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_required"
    assert allowed.status_code == 200


@REQUIRED_FOR_HR
def test_an_enrolled_hr_admin_sends_the_apps_code_with_the_password():
    hr = HRAdminFactory()
    secret = generate_totp_secret()
    TOTP.activate(hr, secret)

    without = ask_for_token(hr.email)
    wrong = ask_for_token(hr.email, code="000000" if current_code(secret) != "000000" else "1")
    right = ask_for_token(hr.email, code=current_code(secret))

    assert without.status_code == 401
    assert without.json()["code"] == "mfa_code_required"
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "mfa_code_incorrect"
    assert right.status_code == 200
    assert bearer(right.json()["access"]).get("/api/v1/me/").status_code == 200


def test_an_employee_who_chose_mfa_also_needs_the_code(employee):
    TOTP.activate(employee, generate_totp_secret())

    assert ask_for_token(employee.email).json()["code"] == "mfa_code_required"


def test_a_recovery_code_obtains_a_token_once(employee):
    TOTP.activate(employee, generate_totp_secret())
    code = RecoveryCodes.activate(employee).get_unused_codes()[0]

    first = ask_for_token(employee.email, code=code)
    again = ask_for_token(employee.email, code=code)

    assert first.status_code == 200
    assert again.status_code == 401
    assert again.json()["code"] == "mfa_code_incorrect"


def test_a_wrong_password_is_refused_before_any_code_is_asked_for(employee):
    TOTP.activate(employee, generate_totp_secret())

    response = APIClient().post(TOKEN_URL, {"email": employee.email, "password": "wrong"})

    assert response.status_code == 401
    assert response.json()["code"] != "mfa_code_required"


def test_an_operator_resets_a_locked_out_hr_admins_second_factors():
    from allauth.mfa.models import Authenticator
    from django.core.management import call_command

    hr = HRAdminFactory()
    TOTP.activate(hr, generate_totp_secret())
    RecoveryCodes.activate(hr)
    out = StringIO()

    call_command("reset_mfa", hr.email.upper(), stdout=out)

    assert not Authenticator.objects.filter(user=hr).exists()
    assert "Removed 2 authenticators" in out.getvalue()
    assert ask_for_token(hr.email).status_code == 200  # the setting is off here


def test_rotating_the_keys_keeps_authenticator_apps_and_recovery_codes_working(employee, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [old]}
    secret = generate_totp_secret()
    TOTP.activate(employee, secret)
    code = RecoveryCodes.activate(employee).get_unused_codes()[0]

    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new, old]}
    out = StringIO()
    call_command("rotate_reward_codes", stdout=out)
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new]}  # the old key dropped

    assert ask_for_token(employee.email, code=current_code(secret)).status_code == 200
    assert ask_for_token(employee.email, code=code).status_code == 200
    assert "secrets of 2 authenticators" in out.getvalue()


def test_authenticator_codes_cannot_be_guessed_without_limit_at_the_token_endpoint():
    from plaudit.audit.models import AuditEvent

    hr = HRAdminFactory()
    secret = generate_totp_secret()
    TOTP.activate(hr, secret)
    wrong = f"{(int(current_code(secret)) + 500_000) % 1_000_000:06d}"

    answers = [ask_for_token(hr.email, code=wrong).status_code for _ in range(5)]
    refused = ask_for_token(hr.email, code=current_code(secret))

    assert answers == [401] * 5
    assert refused.status_code == 429
    assert refused.json()["code"] == "locked_out"
    failed = AuditEvent.objects.filter(action="auth.mfa_code_failed", actor=hr)
    assert failed.count() == 5
    assert failed.first().details["via"] == "api"
