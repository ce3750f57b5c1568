"""Exports stream CSV in the import's columns, neutralise formulas, and re-import cleanly."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from plaudit.imports.kinds.employees import EMPLOYEE_COLUMNS
from plaudit.imports.kinds.rewards import REWARD_COLUMNS
from plaudit.imports.spreadsheet import neutralise_formula, restore_formula
from plaudit.people.models import User
from plaudit.rewards.models import Reward
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def read(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_people_export_streams_everyone_in_the_import_columns(hr_client, hr_admin):
    boss = UserFactory(employee_id="B1")
    UserFactory(employee_id="R1", manager=boss, email="r1@example.com")

    rows = read(hr_client.get("/api/v1/people/export/"))

    assert rows[0] == list(EMPLOYEE_COLUMNS)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"B1", "R1", hr_admin.employee_id}
    assert by_id["R1"]["manager_employee_id"] == "B1"
    assert by_id["R1"]["email"] == "r1@example.com"


@pytest.mark.abuse
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(hr_client):
    UserFactory(
        employee_id="X1",
        first_name='=HYPERLINK("http://evil.example","click")',
        last_name="+1+2",
        title="@SUM(A1)",
    )
    UserFactory(employee_id="X2", first_name="-2+3", last_name="\tTab", title="Plain")

    rows = read(hr_client.get("/api/v1/people/export/"))

    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell and cell[0] in "=+-@\t\r" for cell in cells)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["X1"][2] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_id["X2"][5] == "Plain"


def test_neutralising_is_undone_exactly_on_import():
    for value in ["=1+1", "+x", "-3", "@a", "\tx", "'=x", "''", "'a", "a=b", "", "'"]:
        assert restore_formula(neutralise_formula(value)) == value


def test_an_export_reimports_without_changing_anything(hr_client, run_import):
    boss = UserFactory(employee_id="B1", first_name="=cmd|' /C calc'!A0", salary=None)
    UserFactory(employee_id="R1", manager=boss, hire_date=None, department=None, title="-lead")
    before = list(User.objects.order_by("pk").values())
    content = b"".join(hr_client.get("/api/v1/people/export/").streaming_content)

    job = run_import(content)

    assert job["status"] == "succeeded"
    assert (job["created"], job["updated"], job["failed"]) == (0, 0, 0)
    assert list(User.objects.order_by("pk").values()) == before


def test_rewards_export_reimports_without_changing_anything(hr_client, run_import):
    RewardFactory(sku="MUG", name="@Mug", stock=5, per_user_limit=None)
    RewardFactory(sku="DAY", name="Day off", stock=None, is_active=False)
    before = list(Reward.objects.order_by("pk").values())

    response = hr_client.get("/api/v1/rewards/export/")
    content = b"".join(response.streaming_content)
    assert content.decode().splitlines()[0] == ",".join(REWARD_COLUMNS)
    job = run_import(content, kind="rewards")

    assert (job["created"], job["updated"], job["failed"]) == (0, 0, 0)
    assert list(Reward.objects.order_by("pk").values()) == before


def test_only_hr_admins_may_export(client_for, employee):
    assert client_for(employee).get("/api/v1/people/export/").status_code == 403
    assert client_for(employee).get("/api/v1/rewards/export/").status_code == 403
    assert client_for(None).get("/api/v1/people/export/").status_code == 401
