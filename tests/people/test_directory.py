"""The people directory (GET /people/ and /people/{id}/): who sees whom, and salary privacy."""

import datetime

import pytest

from plaudit.people.services import deactivate_person
from tests.factories import DepartmentFactory, HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [person["id"] for person in response.json()["results"]]


def test_every_signed_in_person_sees_the_directory_as_a_page(client_for, employee):
    colleague = UserFactory()

    response = client_for(employee).get("/api/v1/people/")

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert {employee.pk, colleague.pk} <= set(_ids(response))


def test_the_directory_needs_a_signed_in_caller(client_for, employee):
    assert client_for(None).get("/api/v1/people/").status_code == 401


def test_a_person_has_exactly_the_contract_fields_without_salary(client_for, employee):
    colleague = UserFactory(manager=ManagerFactory())

    person = client_for(employee).get(f"/api/v1/people/{colleague.pk}/").json()

    assert set(person) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "employee_id",
        "department",
        "title",
        "role",
        "manager",
        "hire_date",
        "is_active",
    }
    assert person["department"] == "Engineering"
    assert person["manager"] == colleague.manager_id


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_salary_is_hidden_from_everyone_but_hr_in_the_list(client_for, role):
    caller = UserFactory(role=role)
    UserFactory(manager=caller)

    results = client_for(caller).get("/api/v1/people/").json()["results"]

    assert results
    assert all("salary" not in person for person in results)


def test_a_manager_does_not_see_their_reports_salary(client_for, manager, report):
    person = client_for(manager).get(f"/api/v1/people/{report.pk}/").json()

    assert "salary" not in person


def test_nobody_sees_their_own_salary_in_the_directory(client_for, employee):
    person = client_for(employee).get(f"/api/v1/people/{employee.pk}/").json()

    assert "salary" not in person


def test_hr_sees_salary_in_the_list_and_the_detail(client_for, hr_admin, employee):
    client = client_for(hr_admin)

    listed = client.get("/api/v1/people/").json()["results"]
    detail = client.get(f"/api/v1/people/{employee.pk}/").json()

    assert all("salary" in person for person in listed)
    assert detail["salary"] == f"{employee.salary:.2f}"


def test_a_superuser_sees_salary_like_hr(client_for):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    results = client_for(superuser).get("/api/v1/people/").json()["results"]

    assert all("salary" in person for person in results)


def test_salary_cannot_be_used_to_order_the_directory(client_for, employee):
    UserFactory(last_name="Aardvark", salary=1)
    UserFactory(last_name="Zebra", salary=999_999)

    ascending = _ids(client_for(employee).get("/api/v1/people/?ordering=salary"))
    descending = _ids(client_for(employee).get("/api/v1/people/?ordering=-salary"))

    assert ascending == descending


def test_search_finds_people_by_name(client_for, employee):
    wanted = UserFactory(first_name="Grace", last_name="Hopper")
    UserFactory(first_name="Alan", last_name="Turing")

    assert _ids(client_for(employee).get("/api/v1/people/?search=hopp")) == [wanted.pk]
    assert _ids(client_for(employee).get("/api/v1/people/?search=grace")) == [wanted.pk]


def test_search_finds_people_by_email_and_employee_id(client_for, employee):
    wanted = UserFactory(email="grace.hopper@example.com", employee_id="NAVY-1906")

    assert _ids(client_for(employee).get("/api/v1/people/?search=grace.hopper")) == [wanted.pk]
    assert _ids(client_for(employee).get("/api/v1/people/?search=NAVY-1906")) == [wanted.pk]


def test_the_directory_filters_by_department_name(client_for, employee):
    sales = DepartmentFactory(name="Sales")
    seller = UserFactory(department=sales)

    assert _ids(client_for(employee).get("/api/v1/people/?department=Sales")) == [seller.pk]
    assert _ids(client_for(employee).get("/api/v1/people/?department=sales")) == [seller.pk]


def test_an_unknown_department_filter_finds_nobody(client_for, employee):
    assert _ids(client_for(employee).get("/api/v1/people/?department=Nowhere")) == []


def test_the_directory_filters_by_role(client_for, employee):
    boss = ManagerFactory()
    hr = HRAdminFactory()

    assert _ids(client_for(employee).get("/api/v1/people/?role=manager")) == [boss.pk]
    assert _ids(client_for(employee).get("/api/v1/people/?role=hr_admin")) == [hr.pk]


def test_an_unknown_role_filter_is_a_400(client_for, employee):
    response = client_for(employee).get("/api/v1/people/?role=overlord")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "role" in response.json()["errors"]


def test_the_directory_orders_by_last_name(client_for):
    caller = UserFactory(last_name="Middleton")
    first = UserFactory(last_name="Abbott")
    last = UserFactory(last_name="Zimmer")

    assert _ids(client_for(caller).get("/api/v1/people/?ordering=last_name")) == [
        first.pk,
        caller.pk,
        last.pk,
    ]
    assert _ids(client_for(caller).get("/api/v1/people/?ordering=-last_name")) == [
        last.pk,
        caller.pk,
        first.pk,
    ]


def test_the_directory_orders_by_hire_date_newest_first(client_for):
    caller = UserFactory(hire_date=datetime.date(2020, 1, 1))
    newest = UserFactory(hire_date=datetime.date(2024, 1, 1))
    oldest = UserFactory(hire_date=datetime.date(2010, 1, 1))

    assert _ids(client_for(caller).get("/api/v1/people/?ordering=-hire_date")) == [
        newest.pk,
        caller.pk,
        oldest.pk,
    ]
    assert _ids(client_for(caller).get("/api/v1/people/?ordering=hire_date")) == [
        oldest.pk,
        caller.pk,
        newest.pk,
    ]


def test_the_directory_is_paginated_with_page_size(client_for, employee):
    UserFactory.create_batch(4)

    response = client_for(employee).get("/api/v1/people/?page_size=2&page=2")

    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is not None
    assert body["next"] is not None


def test_a_page_size_above_100_is_capped_at_100(client_for, employee):
    UserFactory.create_batch(101)

    body = client_for(employee).get("/api/v1/people/?page_size=500").json()

    assert len(body["results"]) == 100
    assert body["count"] == 102


def test_a_page_past_the_end_is_a_404_problem(client_for, employee):
    response = client_for(employee).get("/api/v1/people/?page=99")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_deactivated_people_leave_the_directory_for_colleagues(client_for, employee):
    leaver = UserFactory()
    deactivate_person(leaver, actor=None)

    assert leaver.pk not in _ids(client_for(employee).get("/api/v1/people/"))


def test_hr_still_finds_deactivated_people(client_for, hr_admin):
    leaver = UserFactory()
    deactivate_person(leaver, actor=None)

    assert leaver.pk in _ids(client_for(hr_admin).get("/api/v1/people/"))
    assert _ids(client_for(hr_admin).get("/api/v1/people/?is_active=false")) == [leaver.pk]


def test_a_deactivated_persons_profile_still_resolves(client_for, employee):
    leaver = UserFactory()
    deactivate_person(leaver, actor=None)

    response = client_for(employee).get(f"/api/v1/people/{leaver.pk}/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False


@pytest.mark.parametrize("pk", ["987654", "abc", str(10**30)])
def test_an_unknown_person_is_a_404_problem(client_for, employee, pk):
    response = client_for(employee).get(f"/api/v1/people/{pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
