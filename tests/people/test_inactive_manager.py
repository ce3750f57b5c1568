"""A manager who has left keeps the reports they had; nobody is newly put under them.

One rule (:func:`plaudit.people.services.check_manager_active`), decided only when the
manager changes, at every door: a change that names the same manager again (a form
that sends every field, a re-imported roster) passes, as a change of other fields does.
"""

import pytest
from rest_framework.test import APIClient

from plaudit.core.errors import InvalidInput
from plaudit.people import roster, services
from plaudit.people.models import User
from plaudit.people.selectors import people_by_employee_id
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gone(db: None) -> User:
    return ManagerFactory(employee_id="M-GONE", is_active=False)


@pytest.fixture
def report(gone: User) -> User:
    return UserFactory(employee_id="E-REP", manager=gone, title="Analyst")


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def row(person_id: str, manager_id: str | None, **values: object) -> roster.EmployeeRow:
    fields = {
        "employee_id": person_id,
        "email": f"{person_id.lower()}@example.com",
        "first_name": "A",
        "last_name": "B",
        "department": "",
        "title": "",
        "role": "employee",
        "salary": None,
        "hire_date": None,
        "manager_employee_id": manager_id,
        **values,
    }
    return roster.EmployeeRow(**fields)  # type: ignore[arg-type]


def test_api_a_change_naming_the_same_manager_who_has_left_passes(gone, report, hr_admin):
    response = api(hr_admin).patch(
        f"/api/v1/people/{report.pk}/", {"manager": gone.pk, "title": "Lead"}
    )

    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.manager_id, report.title) == (gone.pk, "Lead")


def test_service_a_change_naming_the_same_manager_who_has_left_passes(gone, report):
    services.update_person(report, actor=None, manager=gone, title="Lead")

    report.refresh_from_db()
    assert (report.manager_id, report.title) == (gone.pk, "Lead")


def test_service_still_refuses_moving_someone_under_a_manager_who_has_left(gone, employee):
    with pytest.raises(InvalidInput) as refused:
        services.update_person(employee, actor=None, manager=gone)

    assert refused.value.field == "manager"


def test_roster_refuses_new_reports_of_a_manager_who_has_left_and_keeps_old_ones(gone, report):
    moved = UserFactory(employee_id="E-MOV")
    people = people_by_employee_id(["E-REP", "E-MOV"])

    outcome = roster.import_employees(
        actor=None,
        new=[row("E-NEW", "M-GONE")],
        changed=[
            (people["E-REP"], row("E-REP", "M-GONE", email=report.email, title="Lead")),
            (people["E-MOV"], row("E-MOV", "M-GONE", email=moved.email)),
        ],
    )

    left = services.inactive_manager_message(gone)
    assert outcome.refused == {"E-NEW": ("manager", left), "E-MOV": ("manager", left)}
    assert (outcome.created, outcome.updated) == (0, 1)
    assert User.objects.get(pk=report.pk).title == "Lead"
    assert User.objects.get(pk=moved.pk).manager_id is None
    assert not User.objects.filter(employee_id="E-NEW").exists()
