"""GET /reports/top-salaries/?n=: the best-paid active people, for HR admins only."""

from decimal import Decimal

import pytest
from django.db import connection

from plaudit.people.selectors import top_salaries
from plaudit.people.services import deactivate_person
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/top-salaries/"


def test_hr_gets_the_highest_salaries_first(client_for, hr_admin):
    low = UserFactory(salary=Decimal("7000000000.00"))
    high = UserFactory(salary=Decimal("9000000000.00"))
    middle = UserFactory(salary=Decimal("8000000000.50"))

    response = client_for(hr_admin).get(f"{URL}?n=3")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [high.pk, middle.pk, low.pk]
    assert [row["salary"] for row in results] == ["9000000000.00", "8000000000.50", "7000000000.00"]


def test_each_row_has_the_id_name_department_and_salary(client_for, hr_admin):
    person = UserFactory(
        first_name="Grace",
        last_name="Hopper",
        department=DepartmentFactory(name="Navy"),
        salary=Decimal("9999999999.00"),
    )

    row = client_for(hr_admin).get(f"{URL}?n=1").json()["results"][0]

    assert row == {
        "id": person.pk,
        "name": "Grace Hopper",
        "department": "Navy",
        "salary": "9999999999.00",
    }


def test_n_limits_the_number_of_rows(client_for, hr_admin):
    UserFactory.create_batch(5)

    assert len(client_for(hr_admin).get(f"{URL}?n=2").json()["results"]) == 2


def test_n_defaults_to_ten(client_for, hr_admin):
    UserFactory.create_batch(12)

    assert len(client_for(hr_admin).get(URL).json()["results"]) == 10


@pytest.mark.parametrize("n", [1, 100])
def test_n_from_1_to_100_is_accepted(client_for, hr_admin, n):
    assert client_for(hr_admin).get(URL, {"n": n}).status_code == 200


@pytest.mark.parametrize("n", ["0", "-1", "101", "x", "1e3", str(10**30)], ids=repr)
def test_n_outside_1_to_100_is_a_400(client_for, hr_admin, n):
    response = client_for(hr_admin).get(URL, {"n": n})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "n" in response.json()["errors"]


def test_deactivated_people_are_left_out(client_for, hr_admin):
    leaver = UserFactory(salary=Decimal("9999999.00"))
    deactivate_person(leaver, actor=None)
    stayer = UserFactory(salary=Decimal("10.00"))

    ids = [row["id"] for row in client_for(hr_admin).get(f"{URL}?n=100").json()["results"]]

    assert leaver.pk not in ids
    assert stayer.pk in ids


def test_people_without_a_salary_are_left_out(client_for, hr_admin):
    unpaid = UserFactory(salary=None)

    ids = [row["id"] for row in client_for(hr_admin).get(f"{URL}?n=100").json()["results"]]

    assert unpaid.pk not in ids


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_everyone_but_hr_gets_a_403(client_for, role):
    response = client_for(UserFactory(role=role)).get(URL)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "results" not in response.json()


def test_an_anonymous_caller_gets_a_401(client_for):
    response = client_for(None).get(URL)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_superuser_may_read_it(client_for):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert client_for(superuser).get(URL).status_code == 200


@pytest.mark.postgres
def test_the_report_reads_salaries_through_their_descending_index():
    """people_user_salary_desc hands PostgreSQL the rows already in salary order: it
    only sorts ties by name, never the whole table (the plan asks for no sequential
    scan, as a table of thousands would get)."""
    UserFactory.create_batch(5)
    sql, params = top_salaries(10).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using people_user_salary_desc on people_user" in plan
    assert "Presorted Key: people_user.salary" in plan
