"""The API tokens pages (a person's own; HR's list of everyone's) and HR's audit log page."""

import csv
import io

import pytest

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from plaudit.audit.services import record
from plaudit.tokens.models import ApiToken
from plaudit.tokens.services import create_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODES = (actions.SIGN_IN, actions.TOKEN_CREATED)


def test_a_new_tokens_secret_is_shown_once(page_client, employee):
    client = page_client(employee)

    made = client.post("/me/tokens/", {"name": "cron", "scopes": ["read"], "expires_in_days": "90"})
    token = ApiToken.objects.get()
    page = made.content.decode()
    start = page.index(f'value="plaudit_{token.prefix}_')
    secret = page[start + len('value="') : page.index('"', start + len('value="'))]
    again = client.get("/me/tokens/").content.decode()

    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    assert len(secret) > 40
    assert "Copy it now" in page
    assert secret not in again
    assert f"plaudit_{token.prefix}_…" in again


def test_an_employee_is_not_offered_hr_scopes_or_service_tokens(page_client, employee):
    page = page_client(employee).get("/me/tokens/").content.decode()

    assert 'value="read"' in page
    assert 'value="people:admin"' not in page
    assert 'value="scim"' not in page
    assert 'name="kind"' not in page


def test_a_forged_hr_scope_is_refused_beside_the_field(page_client, employee):
    response = page_client(employee).post(
        "/me/tokens/", {"name": "x", "scopes": ["scim"], "expires_in_days": "90"}
    )

    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


def test_a_person_revokes_their_own_token_but_not_anothers(page_client, employee):
    mine = create_token(actor=employee, name="mine", scopes=["read"]).token
    theirs = create_token(actor=UserFactory(), name="theirs", scopes=["read"]).token
    client = page_client(employee)

    client.post(f"/me/tokens/{mine.pk}/revoke/")
    client.post(f"/me/tokens/{theirs.pk}/revoke/")

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.is_revoked
    assert not theirs.is_revoked


def test_hr_sees_every_token_and_revokes_any(page_client, hr_admin, employee):
    token = create_token(actor=employee, name="employee's cron", scopes=["read"]).token
    client = page_client(hr_admin)

    page = client.get("/hr/tokens/").content.decode()
    response = client.post(f"/me/tokens/{token.pk}/revoke/", {"back": "all"})

    assert employee.email in page
    assert response["Location"] == "/hr/tokens/"
    token.refresh_from_db()
    assert token.is_revoked


def test_hr_filters_the_audit_log_by_actor_action_and_day(page_client, hr_admin, employee):
    record(actions.SIGN_IN, actor=employee)
    record(actions.TOKEN_CREATED, actor=hr_admin)
    client = page_client(hr_admin)

    everything = client.get("/hr/audit/").content.decode()
    by_actor = client.get("/hr/audit/", {"actor": employee.email}).content.decode()
    by_action = client.get("/hr/audit/", {"action": actions.TOKEN_CREATED}).content.decode()

    signed_in, token_created = (f'<code class="muted">{code}</code>' for code in CODES)
    assert signed_in in everything
    assert token_created in everything
    assert token_created not in by_actor
    assert signed_in not in by_action


def test_the_audit_export_is_a_formula_safe_csv_and_is_itself_recorded(page_client, hr_admin):
    record(actions.SIGN_IN_FAILED, actor=None, email='=HYPERLINK("http://evil")')
    client = page_client(hr_admin)

    response = client.get("/hr/audit/export.csv", {"action": actions.SIGN_IN_FAILED})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["at", "action", "actor_id"]
    assert len(rows) == 2
    assert rows[1][1] == actions.SIGN_IN_FAILED
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in rows[1])
    assert AuditEvent.objects.filter(action=actions.EXPORTED, details__what="audit").exists()
