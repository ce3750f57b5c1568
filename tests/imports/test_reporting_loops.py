"""An employee import never makes a reporting line loop back on itself.

The API refuses such a manager (``invalid_manager``); an import must too, whether the
loop runs through rows of the file only, or through people already in Plaudit, and
the rows that close it are rejected with the loop in their message.
"""

import pytest

from plaudit.people.models import User
from tests.factories import UserFactory

from .conftest import csv_text, employee_row, errors_of

pytestmark = pytest.mark.django_db


def manager_of(employee_id: str) -> str | None:
    person = User.objects.select_related("manager").get(employee_id=employee_id)
    return person.manager.employee_id if person.manager else None


def messages(client, job) -> dict[str, str]:
    """Each rejected line's message about its manager, by line number."""
    return {row: message for row, column, message in errors_of(client, job)[1:]}


def test_new_people_who_name_each_other_are_rejected_and_so_are_their_reports(
    run_import, hr_client
):
    job = run_import(
        csv_text(
            [
                employee_row("A", manager_employee_id="B"),
                employee_row("B", manager_employee_id="A"),
                employee_row("C", manager_employee_id="A"),
                employee_row("D"),
            ]
        )
    )

    assert (job["created"], job["failed"]) == (1, 3)
    assert list(User.objects.filter(employee_id__in="ABCD").values_list("employee_id")) == [("D",)]
    found = messages(hr_client, job)
    assert found["2"] == "reporting to B would close a reporting loop: A → B → A"
    assert found["3"] == "reporting to A would close a reporting loop: B → A → B"
    assert found["4"].startswith("no person with employee_id A")


def test_a_loop_through_people_already_in_plaudit_is_refused(run_import, hr_client):
    top = UserFactory(employee_id="TOP")
    UserFactory(employee_id="MID", manager=top)
    UserFactory(employee_id="LOW", manager=User.objects.get(employee_id="MID"))

    job = run_import(csv_text([employee_row("TOP", manager_employee_id="LOW")]))

    assert (job["updated"], job["failed"]) == (0, 1)
    assert manager_of("TOP") is None
    assert messages(hr_client, job)["2"] == (
        "reporting to LOW would close a reporting loop: TOP → LOW → MID → TOP"
    )


def test_a_loop_through_someone_without_an_employee_id_is_refused(run_import, hr_client):
    boss = UserFactory(employee_id="BOSS")
    nameless = UserFactory(employee_id=None, manager=boss)
    UserFactory(employee_id="AIDE", manager=nameless)

    job = run_import(csv_text([employee_row("BOSS", manager_employee_id="AIDE")]))

    assert job["failed"] == 1
    assert manager_of("BOSS") is None
    assert messages(hr_client, job)["2"].endswith(f"BOSS → AIDE → #{nameless.pk} → BOSS")


def test_rejecting_a_loop_brings_back_a_manager_that_closes_another(run_import, hr_client):
    """A's row is refused, so A keeps B, its manager in Plaudit: then B's row to A loops."""
    UserFactory(employee_id="A", manager=UserFactory(employee_id="B"))

    job = run_import(
        csv_text(
            [
                employee_row("A", manager_employee_id="X"),
                employee_row("X", manager_employee_id="A"),
                employee_row("B", manager_employee_id="A"),
            ]
        )
    )

    assert job["failed"] == 3
    assert (manager_of("A"), manager_of("B")) == ("B", None)
    assert not User.objects.filter(employee_id="X").exists()
    assert messages(hr_client, job)["4"] == (
        "reporting to A would close a reporting loop: B → A → B"
    )


def test_moving_a_whole_team_under_a_new_manager_is_no_loop(run_import):
    """Managers that change places in one file are judged on the file's lines, not the old."""
    old_boss = UserFactory(employee_id="OLD")
    UserFactory(employee_id="NEW", manager=old_boss)
    chain = [employee_row(f"P{n}", manager_employee_id=f"P{n - 1}") for n in range(1, 40)]
    job = run_import(
        csv_text(
            [
                employee_row("NEW"),
                employee_row("OLD", manager_employee_id="NEW"),
                employee_row("P0", manager_employee_id="OLD"),
                *chain,
            ]
        )
    )

    assert job["failed"] == 0
    assert (manager_of("OLD"), manager_of("NEW"), manager_of("P39")) == ("NEW", None, "P38")


def test_a_dry_run_reports_the_loop_and_writes_nothing(run_import, hr_client):
    top = UserFactory(employee_id="TOP")
    UserFactory(employee_id="LOW", manager=top)

    job = run_import(csv_text([employee_row("TOP", manager_employee_id="LOW")]), dry_run=True)

    assert job["failed"] == 1
    assert manager_of("TOP") is None
    assert "TOP → LOW → TOP" in messages(hr_client, job)["2"]
