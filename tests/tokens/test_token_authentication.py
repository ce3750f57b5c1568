"""API tokens on the REST API: found by prefix, checked by hash, bounded by scope and role."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from plaudit.core.errors import NotAllowed
from plaudit.tokens.errors import ScopeBeyondRole, ServiceTokenNotAllowed
from plaudit.tokens.models import ApiToken, TokenKind
from plaudit.tokens.services import create_token, hash_secret, revoke_token
from tests.factories import HRAdminFactory, UserFactory
from tests.recognition.payloads import kudos

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])

    prefix, secret = issued.secret.removeprefix("plaudit_").split("_", 1)
    assert issued.token.prefix == prefix
    stored = ApiToken.objects.get()
    assert stored.secret_hash == hash_secret(secret)
    assert secret not in str(ApiToken.objects.values().get())


def test_a_read_token_reads_as_its_owner(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])

    response = bearer(issued.secret).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == employee.email


def test_jwt_still_works_beside_tokens(employee):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(employee)}")

    assert client.get("/api/v1/me/").status_code == 200


def test_a_read_token_cannot_give_kudos(employee):
    other = UserFactory()
    issued = create_token(actor=employee, name="script", scopes=["read"])

    response = bearer(issued.secret).post(
        "/api/v1/recognitions/", kudos([(other, 0)]), format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_a_kudos_token_gives_kudos(employee):
    other = UserFactory()
    issued = create_token(actor=employee, name="bot", scopes=["kudos:write"])

    response = bearer(issued.secret).post(
        "/api/v1/recognitions/", kudos([(other, 0)]), format="json"
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"revoked_at": timezone.now()}, "token_revoked"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "token_expired"),
    ],
)
def test_a_revoked_or_expired_token_is_a_401_problem(employee, change, code):
    issued = create_token(actor=employee, name="script", scopes=["read"])
    ApiToken.objects.filter(pk=issued.token.pk).update(**change)

    response = bearer(issued.secret).get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_is_a_401(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])

    response = bearer(issued.secret[:-2] + "xx").get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_deactivated_owners_token_is_refused(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])
    type(employee).objects.filter(pk=employee.pk).update(is_active=False)

    assert bearer(issued.secret).get("/api/v1/me/").status_code == 401


def test_only_hr_admins_may_hold_people_admin_or_scim_or_service_tokens(employee):
    with pytest.raises(ScopeBeyondRole):
        create_token(actor=employee, name="x", scopes=["people:admin"])
    with pytest.raises(ScopeBeyondRole):
        create_token(actor=employee, name="x", scopes=["scim"])
    with pytest.raises(ServiceTokenNotAllowed):
        create_token(actor=employee, name="x", scopes=["read"], kind=TokenKind.SERVICE)


def test_a_token_never_grants_more_than_its_owners_role_now():
    former_hr = HRAdminFactory()
    issued = create_token(actor=former_hr, name="hr script", scopes=["people:admin", "read"])
    type(former_hr).objects.filter(pk=former_hr.pk).update(role="employee")
    someone = UserFactory()

    response = bearer(issued.secret).patch(
        f"/api/v1/people/{someone.pk}/", {"title": "Boss"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_person_revokes_their_own_token_and_hr_anyones(employee):
    mine = create_token(actor=employee, name="mine", scopes=["read"]).token
    other = create_token(actor=UserFactory(), name="theirs", scopes=["read"]).token

    revoke_token(actor=employee, token_id=mine.pk)
    with pytest.raises(NotAllowed):
        revoke_token(actor=employee, token_id=other.pk)
    revoke_token(actor=HRAdminFactory(), token_id=other.pk)

    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(action=actions.TOKEN_REVOKED).count() == 2
    assert AuditEvent.objects.filter(action=actions.TOKEN_CREATED).count() == 2


def test_last_use_is_written_at_most_once_a_minute(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])
    client = bearer(issued.secret)
    client.get("/api/v1/me/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None

    client.get("/api/v1/me/")

    assert ApiToken.objects.get().last_used_at == first


def test_a_scim_token_reads_nothing_else():
    issued = create_token(actor=HRAdminFactory(), name="okta", scopes=["scim"])

    response = bearer(issued.secret).get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_the_command_prints_a_scim_token_once():
    hr = HRAdminFactory()
    out, err = StringIO(), StringIO()

    call_command("create_api_token", "--scope", "scim", "--name", "okta", stdout=out, stderr=err)

    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"plaudit_{token.prefix}_")
    assert (token.owner, token.kind, token.scopes) == (hr, TokenKind.SERVICE, ["scim"])
    assert "okta" in err.getvalue()


def test_the_command_refuses_a_scim_token_for_an_employee(employee):
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", "--scope", "scim", "--name", "okta", "--owner", employee.email
        )


def test_a_token_costs_one_read_and_writes_its_last_use_once_a_minute(employee):
    issued = create_token(actor=employee, name="script", scopes=["read"])
    client = bearer(issued.secret)

    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/me/")
    with CaptureQueriesContext(connection) as second:
        client.get("/api/v1/me/")

    def on_tokens(queries, verb):
        return [q for q in queries if "tokens_apitoken" in q["sql"] and q["sql"].startswith(verb)]

    assert len(on_tokens(first.captured_queries, "SELECT")) == 1
    assert len(on_tokens(first.captured_queries, "UPDATE")) == 1
    assert len(on_tokens(second.captured_queries, "SELECT")) == 1
    assert on_tokens(second.captured_queries, "UPDATE") == []


def test_a_token_is_refused_while_its_owner_must_enrol_in_mfa(settings):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    hr = HRAdminFactory()
    issued = create_token(actor=hr, name="script", scopes=["read"])
    settings.PLAUDIT_REQUIRE_MFA_FOR = ["hr_admin"]

    refused = bearer(issued.secret).get("/api/v1/me/")
    TOTP.activate(hr, generate_totp_secret())
    allowed = bearer(issued.secret).get("/api/v1/me/")

    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_required"
    assert allowed.status_code == 200
