"""What the audit log records: sign-ins and failures, role changes, grants (large ones
flagged), token creation and revocation, exports and who viewed salaries."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from plaudit.core.errors import NotAllowed
from plaudit.ledger.services import grant_points
from plaudit.people.services import deactivate_person, update_person
from tests.factories import TEST_PASSWORD, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def recorded(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_web_sign_in_and_a_failed_one_are_recorded(employee):
    client = Client(HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="198.51.100.7")

    client.post("/accounts/login/", {"login": employee.email, "password": "wrong"})
    client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})

    [failed] = recorded(actions.SIGN_IN_FAILED)
    assert failed.actor is None
    assert failed.details["email"] == employee.email
    assert "password" not in str(failed.details)
    [signed_in] = recorded(actions.SIGN_IN)
    assert signed_in.actor == employee
    assert signed_in.ip_address == "198.51.100.7"
    assert signed_in.user_agent == "Firefox/140"
    assert signed_in.request_id


def test_an_api_sign_in_and_a_failed_one_are_recorded(employee):
    client = APIClient()

    client.post("/api/v1/auth/token/", {"email": employee.email, "password": "wrong"})
    client.post("/api/v1/auth/token/", {"email": employee.email, "password": TEST_PASSWORD})

    assert [event.details["email"] for event in recorded(actions.SIGN_IN_FAILED)] == [
        employee.email
    ]
    [signed_in] = recorded(actions.SIGN_IN)
    assert (signed_in.actor, signed_in.details["via"]) == (employee, "api")


def test_a_role_change_is_recorded_with_before_and_after(employee, hr_admin):
    update_person(employee, actor=hr_admin, role="manager")

    [event] = recorded(actions.ROLE_CHANGED)
    assert event.actor == hr_admin
    assert event.target_id == str(employee.pk)
    assert (event.details["role_from"], event.details["role_to"]) == ("employee", "manager")


def test_a_change_that_leaves_the_role_alone_records_no_role_change(employee, hr_admin):
    update_person(employee, actor=hr_admin, title="Staff Engineer")

    assert recorded(actions.ROLE_CHANGED) == []


def test_a_deactivation_is_recorded(employee, hr_admin):
    deactivate_person(employee, actor=hr_admin)

    [event] = recorded(actions.PERSON_DEACTIVATED)
    assert event.target_id == str(employee.pk)


def test_a_refused_change_records_nothing(employee):
    with pytest.raises(NotAllowed):
        update_person(employee, actor=UserFactory(), role="hr_admin")

    assert recorded(actions.ROLE_CHANGED) == []


def test_grants_are_recorded_and_large_ones_flagged(employee, hr_admin, settings):
    settings.AUDIT_LARGE_GRANT_POINTS = 500

    grant_points(user=employee, amount=10, reason="Thanks", granted_by=hr_admin)
    grant_points(user=employee, amount=500, reason="Launch", granted_by=hr_admin)

    [small] = recorded(actions.POINTS_GRANTED)
    [large] = recorded(actions.LARGE_GRANT)
    assert (small.details["amount"], small.details["large"]) == (10, False)
    assert (large.details["amount"], large.details["large"]) == (500, True)
    assert large.details["to"] == employee.email
    assert large.actor == hr_admin


def test_an_export_is_recorded(hr_admin, client_for):
    response = client_for(hr_admin).get("/api/v1/people/export/")
    b"".join(response.streaming_content)

    [event] = recorded(actions.EXPORTED)
    assert (event.actor, event.details["what"]) == (hr_admin, "people")


def test_hr_reading_a_salary_is_recorded_and_an_employee_reading_a_profile_is_not(
    hr_admin, employee, client_for
):
    client_for(employee).get(f"/api/v1/people/{hr_admin.pk}/")
    client_for(hr_admin).get(f"/api/v1/people/{employee.pk}/")
    client_for(hr_admin).get("/api/v1/reports/top-salaries/")

    events = recorded(actions.SALARY_VIEWED)
    assert {(e.actor_id, e.details["what"], e.target_id) for e in events} == {
        (hr_admin.pk, "person", str(employee.pk)),
        (hr_admin.pk, "top-salaries", ""),
    }


def test_a_salary_view_is_recorded_once_an_hour_per_reader_with_a_shared_cache(
    hr_admin, employee, client_for, monkeypatch
):
    seen: set[str] = set()

    def claim(key: str, seconds: int) -> bool:
        first = key not in seen
        seen.add(key)
        return first

    monkeypatch.setattr("plaudit.audit.services.claim", claim)
    client = client_for(hr_admin)

    for _ in range(3):
        client.get(f"/api/v1/people/{employee.pk}/")

    assert len(recorded(actions.SALARY_VIEWED)) == 1


def test_the_hr_people_page_records_a_salary_view(hr_admin):
    client = Client()
    client.force_login(hr_admin)

    assert client.get("/hr/people/").status_code == 200

    [event] = recorded(actions.SALARY_VIEWED)
    assert event.details["what"] == "directory"


def test_token_creation_through_the_api_records_the_address(employee):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    client.force_authenticate(employee)

    client.post("/api/v1/tokens/", {"name": "cron", "scopes": ["read"]}, format="json")

    [event] = recorded(actions.TOKEN_CREATED)
    assert event.ip_address == "203.0.113.9"
    assert event.details["scopes"] == ["read"]
    assert "secret" not in event.details


def test_a_failed_sign_in_for_an_unknown_email_is_recorded_too(db):
    APIClient().post("/api/v1/auth/token/", {"email": "nobody@example.com", "password": "x"})

    [event] = recorded(actions.SIGN_IN_FAILED)
    assert event.details["email"] == "nobody@example.com"


def test_hr_admins_make_the_log_too():
    hr = HRAdminFactory()
    update_person(UserFactory(), actor=hr, role="hr_admin")

    assert recorded(actions.ROLE_CHANGED)[0].details["role_to"] == "hr_admin"


def test_the_people_export_records_a_salary_view(hr_admin, client_for):
    response = client_for(hr_admin).get("/api/v1/people/export/")
    b"".join(response.streaming_content)

    [event] = recorded(actions.SALARY_VIEWED)
    assert (event.actor, event.details["what"]) == (hr_admin, "people-export")


def test_the_admins_people_pages_record_a_salary_view_for_hr_only(employee):
    from tests.factories import ManagerFactory

    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    manager = ManagerFactory(is_staff=True)
    hr_client, manager_client = Client(), Client()
    hr_client.force_login(hr)
    manager_client.force_login(manager)

    assert hr_client.get("/admin/people/user/").status_code == 200
    assert hr_client.get(f"/admin/people/user/{employee.pk}/change/").status_code == 200
    manager_client.get("/admin/people/user/")

    events = recorded(actions.SALARY_VIEWED)
    assert {(e.actor_id, e.details["what"], e.target_id) for e in events} == {
        (hr.pk, "admin-people", ""),
        (hr.pk, "admin-person", str(employee.pk)),
    }
