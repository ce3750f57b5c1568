"""The employee import's bulk path locks as the people services do: every active HR
admin's row in id order, then the rows it changes in id order, before it writes one.

Two writers that take the same rows in the same order wait for each other; in
different orders they can deadlock (an import updating Bob then Ann while the API,
holding Ann, waits for Bob).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaudit.people import roster
from plaudit.people.models import User
from plaudit.people.selectors import people_by_employee_id
from tests.factories import HRAdminFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def row_for(person: User, **changes: object) -> roster.EmployeeRow:
    values = {
        "employee_id": person.employee_id,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "department": "",
        "title": person.title,
        "role": person.role,
        "salary": person.salary,
        "hire_date": person.hire_date,
        "manager_employee_id": None,
    }
    return roster.EmployeeRow(**{**values, **changes})  # type: ignore[arg-type]


def locked_ids(sql: str) -> str:
    return "hr admins" if "hr_admin" in sql else "people"


def test_the_import_locks_hr_admins_then_the_people_it_changes_in_id_order_before_writing():
    hr = HRAdminFactory(employee_id="E-HR")
    ann, bob = UserFactory(employee_id="E-1"), UserFactory(employee_id="E-2")
    people = people_by_employee_id(["E-2", "E-1"])
    # The file's order is Bob, then Ann: the locks still go by id.
    changed = [
        (people["E-2"], row_for(bob, title="Lead")),
        (people["E-1"], row_for(ann, title="Chief")),
    ]

    with CaptureQueriesContext(connection) as queries:
        roster.import_employees(actor=hr, new=[], changed=changed)

    statements = [query["sql"] for query in queries.captured_queries]
    first_update = next(i for i, sql in enumerate(statements) if sql.startswith("UPDATE"))
    locks = [sql for sql in statements[:first_update] if sql.endswith("FOR UPDATE")]
    assert [locked_ids(sql) for sql in locks] == ["hr admins", "people"]
    assert all(re.search(r'ORDER BY ("people_user"\."id"|1) ASC FOR UPDATE$', sql) for sql in locks)
    assert User.objects.get(pk=bob.pk).title == "Lead"


def test_linking_managers_takes_the_hr_admins_locks_first():
    hr = HRAdminFactory(employee_id="E-HR")
    UserFactory(employee_id="E-1")

    with CaptureQueriesContext(connection) as queries:
        roster.link_managers(actor=hr, links={"E-1": "E-HR"})

    locks = [q["sql"] for q in queries.captured_queries if q["sql"].endswith("FOR UPDATE")]
    assert [locked_ids(sql) for sql in locks] == ["hr admins", "people"]


def test_the_import_decides_on_who_is_hr_admin_now_not_when_the_file_was_read():
    """Read before the locks, Pat was an employee; meanwhile Pat became the only HR
    admin. The file's "employee" for Pat is then a demotion of the last one: refused."""
    hana = HRAdminFactory(employee_id="E-HR")
    pat = UserFactory(employee_id="E-PAT")
    read_before = people_by_employee_id(["E-PAT"])["E-PAT"]
    User.objects.filter(pk=pat.pk).update(role="hr_admin")
    User.objects.filter(pk=hana.pk).update(role="employee")

    outcome = roster.import_employees(
        actor=None, new=[], changed=[(read_before, row_for(pat, role="employee"))]
    )

    assert "E-PAT" in outcome.refused
    assert User.objects.get(pk=pat.pk).role == "hr_admin"


def test_an_import_by_hr_cannot_change_a_superusers_account():
    hr = HRAdminFactory(employee_id="E-HR")
    operator = User.objects.create_superuser(
        email="root@example.com", password="x" * 12, employee_id="E-ROOT"
    )
    read = people_by_employee_id(["E-ROOT"])["E-ROOT"]

    outcome = roster.import_employees(
        actor=hr, new=[], changed=[(read, row_for(operator, email="hr-owned@example.com"))]
    )

    assert outcome.refused["E-ROOT"][0] == "employee_id"
    assert User.objects.get(pk=operator.pk).email == "root@example.com"
