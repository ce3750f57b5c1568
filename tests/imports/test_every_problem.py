"""The errors file lists every problem of every row: a row rejected for one cell is also
told that its manager is unknown, whichever check rejected it first."""

import pytest

from plaudit.people.errors import EmailTaken
from tests.factories import UserFactory

from .conftest import csv_text, employee_row, errors_of

pytestmark = pytest.mark.django_db

UNKNOWN = "no person with employee_id E9999 in Plaudit or among the accepted rows of this file"


def test_a_row_with_a_bad_cell_and_an_unknown_manager_is_listed_with_both(run_import, hr_client):
    rows = [
        employee_row("E1"),
        employee_row("E2", email="not-an-email", manager_employee_id="E9999"),
    ]

    job = run_import(csv_text(rows))

    assert (job["created"], job["failed"]) == (1, 1)  # the row counts as failed once
    assert errors_of(hr_client, job)[1:] == [
        ["3", "email", "Enter a valid email address."],
        ["3", "manager_employee_id", UNKNOWN],
    ]


def test_a_row_rejected_by_a_file_wide_check_is_told_of_its_unknown_manager_too(
    run_import, hr_client
):
    UserFactory(employee_id="OLD", email="taken@example.com")
    rows = [employee_row("E1", email="taken@example.com", manager_employee_id="E9999")]

    job = run_import(csv_text(rows), dry_run="true")

    assert job["failed"] == 1
    assert [(column, message) for _, column, message in errors_of(hr_client, job)[1:]] == [
        ("email", EmailTaken.default_detail),
        ("manager_employee_id", UNKNOWN),
    ]


def test_a_manager_in_plaudit_or_accepted_in_the_file_is_no_problem(run_import, hr_client):
    UserFactory(employee_id="BOSS")
    rows = [
        employee_row("E1", salary="lots", manager_employee_id="BOSS"),
        employee_row("E2", salary="lots", manager_employee_id="E3"),
        employee_row("E3"),
    ]

    job = run_import(csv_text(rows))

    assert [(row, column) for row, column, _ in errors_of(hr_client, job)[1:]] == [
        ("2", "salary"),
        ("3", "salary"),
    ]


def test_a_bad_manager_cell_is_listed_once(run_import, hr_client):
    rows = [employee_row("E1", email="nope", manager_employee_id="E1")]

    job = run_import(csv_text(rows))

    assert [(column, message) for _, column, message in errors_of(hr_client, job)[1:]] == [
        ("email", "Enter a valid email address."),
        ("manager_employee_id", "a person cannot be their own manager"),
    ]
