"""Import messages in good grammar: "an employees file", "1 row" and "2 rows"."""

import pytest
from django.contrib.messages import get_messages

from plaudit.imports import wording
from plaudit.imports.models import ImportJob
from tests.factories import RewardFactory

from .conftest import HEADER, csv_file, csv_text, employee_row, errors_of
from .test_command_and_admin import admin_client

pytestmark = pytest.mark.django_db


def refusal(upload, content, kind="employees", **extra):
    response = upload(content, kind, **extra)
    assert response.status_code == 400, response.content
    return response.json()["detail"]


def test_a_header_lacking_one_column_names_it_with_the_right_article(upload, hr_admin):
    detail = refusal(upload, HEADER.replace("email,", "") + "\nE1,,,,,,,,\n")

    assert detail.startswith("The header lacks the column email. An employees file has the ")


def test_a_header_lacking_columns_of_another_kind_reads_well_too(upload, hr_admin):
    detail = refusal(upload, "sku,name\nMUG,Mug\n", "rewards")

    assert "lacks the columns description, category," in detail
    assert "A reward catalog file has the columns sku,name,description," in detail


def test_a_header_of_too_many_columns_counts_both_in_words(upload, hr_admin):
    header = ",".join(f"c{n}" for n in range(101))

    reward = RewardFactory()

    detail = refusal(upload, f"{header}\n{',' * 100}\n", "reward_codes", reward=reward.pk)

    assert detail.startswith("The header has 101 columns; a reward codes file has 1 column ")


def test_a_row_of_one_cell_is_one_cell(run_import, hr_client):
    job = run_import(HEADER + "\nE1\n")

    assert errors_of(hr_client, job)[1:] == [["2", "", "the row has 1 cell; the header has 10"]]


def test_counts_are_singular_for_one_and_grouped_when_large():
    assert [wording.rows(n) for n in (0, 1, 2, 2500)] == ["0 rows", "1 row", "2 rows", "2,500 rows"]
    assert wording.cells(1) == "1 cell"
    assert wording.characters(1) == "1 character"
    assert [wording.a_file_of(kind) for kind in ("employees", "rewards", "reward_codes")] == [
        "an employees file",
        "a reward catalog file",
        "a reward codes file",
    ]


def test_the_admin_says_a_dry_run_is_queued_without_counting_what_it_has_not_done(
    client, hr_admin, django_capture_on_commit_callbacks
):
    browser = admin_client(client, hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/admin/imports/importjob/upload/",
            {
                "file": csv_file(csv_text([employee_row("A1")])),
                "kind": "employees",
                "dry_run": "on",
            },
        )

    assert response.status_code == 302
    (text,) = [str(message) for message in get_messages(response.wsgi_request)]
    # Queued until the request commits: nothing is counted before it has run.
    assert text == f"Import #{ImportJob.objects.get().pk} (dry run) is queued: 1 row."
