"""/api/v1/tokens/: your own tokens (HR: everyone's), the secret once, revocation."""

import pytest
from rest_framework.test import APIClient

from plaudit.tokens.models import ApiToken
from plaudit.tokens.services import create_token
from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/tokens/"


def test_creating_a_token_answers_its_secret_once(employee, client_for):
    client = client_for(employee)

    created = client.post(URL, {"name": "cron", "scopes": ["read", "kudos:write"]}).json()
    listed = client.get(URL).json()["results"]

    assert created["secret"].startswith(f"plaudit_{created['prefix']}_")
    assert created["scopes"] == ["kudos:write", "read"]
    assert created["expires_at"] is not None  # API_TOKEN_DAYS
    assert [row["id"] for row in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert created["secret"] not in str(client.get(f"{URL}{created['id']}/").json())


def test_a_token_can_be_made_never_to_expire(employee, client_for):
    created = client_for(employee).post(
        URL, {"name": "cron", "scopes": ["read"], "expires_in_days": 0}
    )

    assert created.json()["expires_at"] is None


def test_an_employee_cannot_make_an_hr_scope_or_a_service_token(employee, client_for):
    client = client_for(employee)

    scim = client.post(URL, {"name": "okta", "scopes": ["scim"]})
    service = client.post(URL, {"name": "bot", "scopes": ["read"], "kind": "service"})

    assert (scim.status_code, scim.json()["code"]) == (403, "scope_beyond_role")
    assert (service.status_code, service.json()["code"]) == (403, "permission_denied")
    assert ApiToken.objects.count() == 0


def test_an_unknown_scope_is_a_400_naming_the_field(employee, client_for):
    response = client_for(employee).post(URL, {"name": "x", "scopes": ["everything"]})

    assert response.status_code == 400
    assert "scopes" in response.json()["errors"]


def test_hr_makes_a_service_token_and_sees_every_token(hr_admin, employee, client_for):
    create_token(actor=employee, name="mine", scopes=["read"])
    client = client_for(hr_admin)

    created = client.post(URL, {"name": "okta", "scopes": ["scim"], "kind": "service"})
    listed = client.get(URL).json()["results"]

    assert created.status_code == 201
    assert {row["name"] for row in listed} == {"mine", "okta"}


def test_people_see_and_revoke_only_their_own(employee, client_for):
    theirs = create_token(actor=UserFactory(), name="theirs", scopes=["read"]).token
    client = client_for(employee)

    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/revoke/").status_code == 404


def test_revoking_twice_is_a_409_problem(employee, client_for):
    mine = create_token(actor=employee, name="mine", scopes=["read"]).token
    client = client_for(employee)

    first = client.post(f"{URL}{mine.pk}/revoke/")
    again = client.post(f"{URL}{mine.pk}/revoke/")

    assert first.status_code == 200
    assert first.json()["revoked_at"] is not None
    assert first.json()["is_usable"] is False
    assert (again.status_code, again.json()["code"]) == (409, "token_revoked")


def test_hr_revokes_anyones_token_and_it_stops_working_at_once(employee, client_for):
    issued = create_token(actor=employee, name="mine", scopes=["read"])
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert bearer.get("/api/v1/me/").status_code == 200

    client_for(HRAdminFactory()).post(f"{URL}{issued.token.pk}/revoke/")

    assert bearer.get("/api/v1/me/").json()["code"] == "token_revoked"


def test_a_token_cannot_mint_another(employee):
    issued = create_token(actor=employee, name="mine", scopes=["read", "kudos:write"])
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    response = bearer.post(URL, {"name": "child", "scopes": ["read"]}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_the_token_list_costs_the_same_queries_however_many_tokens(
    hr_admin, client_for, django_assert_max_num_queries
):
    for n in range(3):
        create_token(actor=UserFactory(), name=f"t{n}", scopes=["read"])
    client = client_for(hr_admin)
    client.get(URL)
    for n in range(10):
        create_token(actor=UserFactory(), name=f"u{n}", scopes=["read"])

    with django_assert_max_num_queries(6):
        client.get(URL)
