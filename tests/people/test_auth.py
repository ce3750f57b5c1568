"""Signing in: JWT tokens, browser sessions with CSRF, and the sign-in throttle."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from plaudit.people.services import deactivate_person
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"


def _tokens(email: str, password: str = TEST_PASSWORD) -> dict[str, str]:
    response = APIClient().post(TOKEN_URL, {"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _with_auth_rate(rate: str) -> override_settings:
    rest_framework = settings.REST_FRAMEWORK
    rates = {**rest_framework["DEFAULT_THROTTLE_RATES"], "auth": rate}
    return override_settings(REST_FRAMEWORK={**rest_framework, "DEFAULT_THROTTLE_RATES": rates})


def test_email_and_password_get_an_access_and_a_refresh_token(employee):
    response = APIClient().post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_the_access_token_signs_api_calls_in(employee):
    tokens = _tokens(employee.email)

    response = _bearer(tokens["access"]).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["id"] == employee.pk


def test_a_refresh_token_gets_a_new_working_access_token(employee):
    tokens = _tokens(employee.email)

    response = APIClient().post(REFRESH_URL, {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    access = response.json()["access"]
    assert _bearer(access).get("/api/v1/me/").json()["id"] == employee.pk


def test_an_access_token_is_not_accepted_as_a_refresh_token(employee):
    tokens = _tokens(employee.email)

    response = APIClient().post(REFRESH_URL, {"refresh": tokens["access"]})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_wrong_password_is_a_401_problem_document(employee):
    response = APIClient().post(TOKEN_URL, {"email": employee.email, "password": "not-it"})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["code"]
    assert "access" not in body


def test_an_unknown_email_is_answered_like_a_wrong_password(employee):
    wrong_password = APIClient().post(TOKEN_URL, {"email": employee.email, "password": "nope"})
    unknown = APIClient().post(TOKEN_URL, {"email": "nobody@example.com", "password": "nope"})

    assert unknown.status_code == wrong_password.status_code == 401
    assert unknown.json()["code"] == wrong_password.json()["code"]


def test_a_token_request_without_a_password_is_a_400_naming_the_field(employee):
    response = APIClient().post(TOKEN_URL, {"email": employee.email})

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_a_deactivated_person_cannot_get_a_token(employee):
    deactivate_person(employee, actor=None)

    response = APIClient().post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})

    assert response.status_code == 401
    assert "access" not in response.json()


def test_a_deactivated_persons_existing_access_token_stops_working(employee):
    tokens = _tokens(employee.email)
    deactivate_person(employee, actor=None)

    response = _bearer(tokens["access"]).get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_deactivated_persons_refresh_token_gets_no_new_access_token(employee):
    tokens = _tokens(employee.email)
    deactivate_person(employee, actor=None)

    response = APIClient().post(REFRESH_URL, {"refresh": tokens["refresh"]})

    assert response.status_code == 401
    assert "access" not in response.json()


def test_a_garbage_bearer_token_is_a_401_problem_document():
    response = _bearer("not-a-jwt").get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.has_header("WWW-Authenticate")


def test_an_anonymous_call_is_a_401_problem_document():
    response = APIClient().get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_browser_session_works_on_api_endpoints(employee):
    client = APIClient()
    assert client.login(email=employee.email, password=TEST_PASSWORD)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["id"] == employee.pk


def test_a_session_of_a_deactivated_person_is_no_longer_signed_in(employee):
    client = APIClient()
    client.force_login(employee)
    deactivate_person(employee, actor=None)

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_session_write_without_a_csrf_token_is_refused_and_changes_nothing(hr_admin):
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(email=hr_admin.email, password=TEST_PASSWORD)

    response = client.patch(f"/api/v1/people/{person.pk}/", {"title": "Changed"})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
    person.refresh_from_db()
    assert person.title == "Engineer"


def test_a_session_write_with_the_csrf_token_goes_through(hr_admin):
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(email=hr_admin.email, password=TEST_PASSWORD)
    token = get_random_string(32)  # what the CSRF cookie holds; the page sends it back
    client.cookies[settings.CSRF_COOKIE_NAME] = token

    response = client.patch(
        f"/api/v1/people/{person.pk}/", {"title": "Changed"}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.title == "Changed"


def test_a_session_read_needs_no_csrf_token(employee):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(employee)

    assert client.get("/api/v1/people/").status_code == 200


def test_a_bearer_token_write_needs_no_csrf_token(hr_admin):
    person = UserFactory()
    tokens = _tokens(hr_admin.email)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    response = client.patch(f"/api/v1/people/{person.pk}/", {"title": "Changed"})

    assert response.status_code == 200


@pytest.mark.abuse
def test_token_attempts_beyond_the_auth_rate_are_throttled_with_retry_after(employee):
    client = APIClient()
    with _with_auth_rate("3/min"):
        answers = [
            client.post(TOKEN_URL, {"email": employee.email, "password": "wrong"}).status_code
            for _ in range(3)
        ]
        response = client.post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})

    assert answers == [401, 401, 401]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_refresh_attempts_count_against_the_auth_rate(employee):
    client = APIClient()
    with _with_auth_rate("2/min"):
        tokens = client.post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})
        refreshed = client.post(REFRESH_URL, {"refresh": tokens.json()["refresh"]})
        response = client.post(REFRESH_URL, {"refresh": tokens.json()["refresh"]})

    assert refreshed.status_code == 200
    assert response.status_code == 429
    assert response.has_header("Retry-After")


def test_the_auth_rate_is_counted_per_client_address(employee):
    with _with_auth_rate("1/min"):
        first = APIClient(REMOTE_ADDR="10.0.0.1")
        second = APIClient(REMOTE_ADDR="10.0.0.2")
        first.post(TOKEN_URL, {"email": employee.email, "password": "wrong"})

        throttled = first.post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})
        other_address = second.post(TOKEN_URL, {"email": employee.email, "password": TEST_PASSWORD})

    assert throttled.status_code == 429
    assert other_address.status_code == 200


def test_signing_in_ignores_the_letter_case_of_the_email(db):
    person = UserFactory(email="ada.lovelace@example.com")

    tokens = _tokens("Ada.Lovelace@EXAMPLE.com")

    me = _bearer(tokens["access"]).get("/api/v1/me/")
    assert me.json()["id"] == person.pk


def test_the_session_sign_in_ignores_the_letter_case_of_the_email_too(db):
    UserFactory(email="ada.lovelace@example.com")
    client = APIClient()

    assert client.login(email="ADA.LOVELACE@example.com", password=TEST_PASSWORD)
