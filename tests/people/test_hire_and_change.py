"""HR hires people (POST /people/) and changes them (PATCH /people/{id}/)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.people.models import Department, User
from tests.factories import DepartmentFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "violet-harbour-lantern-42"


def _hire(client: APIClient, **overrides: Any) -> Any:
    body = {
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "employee_id": "E-ADA",
        "department": "Research",
        "title": "Analyst",
        "role": "employee",
        "manager": None,
        "salary": "72000.00",
        "hire_date": "2024-03-01",
        **overrides,
    }
    return client.post("/api/v1/people/", body)


def _assert_refused(response: Any, *fields: str) -> None:
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    assert set(fields) <= set(body["errors"])


def test_hr_hires_a_person_and_gets_them_back_with_salary(client_for, hr_admin):
    response = _hire(client_for(hr_admin))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "ada@example.com"
    assert body["employee_id"] == "E-ADA"
    assert body["department"] == "Research"
    assert body["role"] == "employee"
    assert body["manager"] is None
    assert body["salary"] == "72000.00"
    assert body["hire_date"] == "2024-03-01"
    assert body["is_active"] is True
    assert User.objects.filter(pk=body["id"], email="ada@example.com").exists()


def test_hiring_into_a_new_department_name_creates_the_department(client_for, hr_admin):
    assert not Department.objects.filter(name="Research").exists()

    _hire(client_for(hr_admin), department="Research")

    assert Department.objects.filter(name="Research").count() == 1


def test_hiring_into_an_existing_department_reuses_it(client_for, hr_admin):
    existing = DepartmentFactory(name="Research")

    response = _hire(client_for(hr_admin), department="Research")

    assert User.objects.get(pk=response.json()["id"]).department == existing
    assert Department.objects.filter(name="Research").count() == 1


def test_a_department_name_in_other_letter_case_is_the_same_department(client_for, hr_admin):
    existing = DepartmentFactory(name="Research")

    response = _hire(client_for(hr_admin), department="research")

    assert response.json()["department"] == "Research"
    assert User.objects.get(pk=response.json()["id"]).department == existing


def test_a_person_is_hired_with_their_manager(client_for, hr_admin, manager):
    response = _hire(client_for(hr_admin), manager=manager.pk)

    assert response.status_code == 201
    assert response.json()["manager"] == manager.pk


def test_the_password_is_write_only_and_lets_the_person_sign_in(client_for, hr_admin):
    response = _hire(client_for(hr_admin), password=STRONG_PASSWORD)

    assert response.status_code == 201
    assert "password" not in response.json()
    tokens = APIClient().post(
        "/api/v1/auth/token/", {"email": "ada@example.com", "password": STRONG_PASSWORD}
    )
    assert tokens.status_code == 200


def test_a_person_hired_without_a_password_cannot_sign_in_with_one(client_for, hr_admin):
    response = _hire(client_for(hr_admin))

    assert response.status_code == 201
    person = User.objects.get(pk=response.json()["id"])
    assert not person.has_usable_password()


def test_only_an_email_is_needed_to_hire(client_for, hr_admin):
    response = client_for(hr_admin).post("/api/v1/people/", {"email": "min@example.com"})

    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "employee"


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_hire(client_for, role):
    caller = UserFactory(role=role)

    response = _hire(client_for(caller))

    assert response.status_code == 403
    assert not User.objects.filter(email="ada@example.com").exists()


def test_a_duplicate_email_is_refused_whatever_its_letter_case(client_for, hr_admin):
    UserFactory(email="ada@example.com")

    response = _hire(client_for(hr_admin), email="ADA@example.com", employee_id="E-OTHER")

    _assert_refused(response, "email")
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_a_duplicate_employee_id_is_refused(client_for, hr_admin):
    UserFactory(employee_id="E-ADA")

    response = _hire(client_for(hr_admin))

    _assert_refused(response, "employee_id")
    assert not User.objects.filter(email="ada@example.com").exists()


def test_an_unknown_role_is_refused(client_for, hr_admin):
    _assert_refused(_hire(client_for(hr_admin), role="overlord"), "role")
    assert not User.objects.filter(email="ada@example.com").exists()


def test_a_negative_salary_is_refused(client_for, hr_admin):
    _assert_refused(_hire(client_for(hr_admin), salary="-1.00"), "salary")
    assert not User.objects.filter(email="ada@example.com").exists()


def test_an_unknown_manager_id_is_refused(client_for, hr_admin):
    _assert_refused(_hire(client_for(hr_admin), manager=987654), "manager")


def test_a_deactivated_manager_is_refused(client_for, hr_admin):
    gone = ManagerFactory(is_active=False)

    _assert_refused(_hire(client_for(hr_admin), manager=gone.pk), "manager")


def test_a_weak_password_is_refused_with_the_reasons(client_for, hr_admin):
    response = _hire(client_for(hr_admin), password="12345")

    _assert_refused(response, "password")
    assert len(response.json()["errors"]["password"]) >= 1
    assert not User.objects.filter(email="ada@example.com").exists()


def test_a_password_like_the_persons_name_is_refused(client_for, hr_admin):
    response = _hire(client_for(hr_admin), email="lovelace@example.com", password="lovelace")

    _assert_refused(response, "password")


def test_an_invalid_email_is_refused(client_for, hr_admin):
    _assert_refused(_hire(client_for(hr_admin), email="not-an-email"), "email")


def test_a_bad_hire_date_is_refused(client_for, hr_admin):
    _assert_refused(_hire(client_for(hr_admin), hire_date="yesterday"), "hire_date")


def test_every_invalid_field_is_reported_at_once(client_for, hr_admin):
    response = _hire(client_for(hr_admin), email="nope", role="overlord", salary="-5")

    _assert_refused(response, "email", "role", "salary")


def test_hr_changes_a_persons_title_and_department(client_for, hr_admin, employee):
    response = client_for(hr_admin).patch(
        f"/api/v1/people/{employee.pk}/", {"title": "Lead", "department": "Platform"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Lead"
    assert response.json()["department"] == "Platform"
    employee.refresh_from_db()
    assert employee.title == "Lead"
    assert employee.department is not None
    assert employee.department.name == "Platform"


def test_a_patch_leaves_the_fields_it_does_not_name_alone(client_for, hr_admin, report, manager):
    before = User.objects.get(pk=report.pk)

    client_for(hr_admin).patch(f"/api/v1/people/{report.pk}/", {"title": "Lead"})

    report.refresh_from_db()
    assert report.manager == manager
    assert report.role == before.role
    assert report.salary == before.salary
    assert report.email == before.email


def test_hr_moves_a_person_to_another_manager(client_for, hr_admin, employee, manager):
    response = client_for(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"manager": manager.pk})

    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.manager == manager


def test_hr_clears_a_persons_manager(client_for, hr_admin, report):
    response = client_for(hr_admin).patch(f"/api/v1/people/{report.pk}/", {"manager": None})

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.manager is None


def test_a_patch_answer_includes_the_salary_for_hr(client_for, hr_admin, employee):
    response = client_for(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"salary": "1.50"})

    assert response.json()["salary"] == "1.50"


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_change_a_person(client_for, role, employee):
    caller = UserFactory(role=role)

    response = client_for(caller).patch(f"/api/v1/people/{employee.pk}/", {"title": "Boss"})

    assert response.status_code == 403
    employee.refresh_from_db()
    assert employee.title == "Engineer"


def test_nobody_may_give_themselves_hr_powers(client_for, employee):
    response = client_for(employee).patch(f"/api/v1/people/{employee.pk}/", {"role": "hr_admin"})

    assert response.status_code == 403
    employee.refresh_from_db()
    assert employee.role == "employee"


def test_a_person_cannot_become_their_own_manager(client_for, hr_admin, employee):
    response = client_for(hr_admin).patch(
        f"/api/v1/people/{employee.pk}/", {"manager": employee.pk}
    )

    _assert_refused(response, "manager")
    employee.refresh_from_db()
    assert employee.manager is None


def test_a_reporting_loop_is_refused(client_for, hr_admin):
    top = ManagerFactory()
    middle = ManagerFactory(manager=top)
    bottom = UserFactory(manager=middle)

    response = client_for(hr_admin).patch(f"/api/v1/people/{top.pk}/", {"manager": bottom.pk})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "manager" in response.json()["errors"]
    top.refresh_from_db()
    assert top.manager is None


def test_changing_an_email_to_another_persons_is_refused(client_for, hr_admin, employee):
    other = UserFactory()

    response = client_for(hr_admin).patch(
        f"/api/v1/people/{employee.pk}/", {"email": other.email.upper()}
    )

    _assert_refused(response, "email")


def test_keeping_ones_own_email_and_employee_id_is_not_a_duplicate(client_for, hr_admin, employee):
    response = client_for(hr_admin).patch(
        f"/api/v1/people/{employee.pk}/",
        {"email": employee.email, "employee_id": employee.employee_id},
    )

    assert response.status_code == 200, response.json()


def test_hr_sets_a_new_password_that_signs_in(client_for, hr_admin, employee):
    client_for(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"password": STRONG_PASSWORD})

    tokens = APIClient().post(
        "/api/v1/auth/token/", {"email": employee.email, "password": STRONG_PASSWORD}
    )
    assert tokens.status_code == 200


def test_a_weak_new_password_is_refused(client_for, hr_admin, employee):
    response = client_for(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"password": "abc"})

    _assert_refused(response, "password")


def test_patching_an_unknown_person_is_a_404(client_for, hr_admin):
    response = client_for(hr_admin).patch("/api/v1/people/987654/", {"title": "Ghost"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_put_is_not_allowed(client_for, hr_admin, employee):
    response = client_for(hr_admin).put(
        f"/api/v1/people/{employee.pk}/", {"email": employee.email, "title": "Lead"}
    )

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    employee.refresh_from_db()
    assert employee.title == "Engineer"
