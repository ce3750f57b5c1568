"""The import page explains itself: each kind's columns, a template to download (which
imports cleanly as it is), a dry run in the conditional, and counts in good grammar."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaudit.events.models import Notification
from plaudit.imports.kinds.registry import SPECS
from plaudit.imports.models import ImportJob, ImportKind, ImportStatus
from plaudit.people.models import User
from plaudit.rewards.models import Reward, RewardCode
from tests.factories import RewardFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db

KINDS = list(ImportKind.values)


def test_the_page_lists_each_kinds_columns_with_what_they_hold_and_an_example(
    page_client, hr_admin
):
    page = page_client(hr_admin).get("/hr/imports/").content.decode()

    for kind, spec in SPECS.items():
        assert f'id="columns-{kind}"' in page
        assert f'href="/hr/imports/template/{kind}.csv"' in page
        for column in spec.layout:
            assert f"<code>{column.name}</code>" in page
    hire_date = page[page.index("<code>hire_date</code>") :]
    assert hire_date.index("optional") < hire_date.index("A date as YYYY-MM-DD")
    employee_id = page[page.index("<code>employee_id</code>") :]
    assert employee_id.index("required") < employee_id.index("</tr>")
    assert "E1001,ada@example.com,Ada,Lovelace,Engineering,Engineer,,employee" in page


@pytest.mark.parametrize("kind", KINDS)
def test_each_kinds_template_downloads_as_a_csv_attachment(page_client, hr_admin, kind):
    response = page_client(hr_admin).get(f"/hr/imports/template/{kind}.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    header, example = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == list(SPECS[kind].columns)
    assert example == list(SPECS[kind].example_row)


def test_the_templates_are_for_hr_admins_only(page_client, manager):
    assert page_client(manager).get("/hr/imports/template/employees.csv").status_code == 403
    anonymous = page_client(None).get("/hr/imports/template/employees.csv")
    assert anonymous.status_code == 302


def test_an_unknown_kind_has_no_template(page_client, hr_admin):
    assert page_client(hr_admin).get("/hr/imports/template/secrets.csv").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_each_template_imports_as_it_is_as_a_valid_dry_run(
    page_client, hr_admin, kind, django_capture_on_commit_callbacks
):
    """The example row cannot drift from the rules: it passes them."""
    client = page_client(hr_admin)
    template = client.get(f"/hr/imports/template/{kind}.csv").content
    reward = RewardFactory(stock=None)
    people, rewards = User.objects.count(), Reward.objects.count()
    form = {"kind": kind, "dry_run": "on"}
    if kind == ImportKind.REWARD_CODES:
        form["reward"] = str(reward.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/hr/imports/",
            {**form, "file": SimpleUploadedFile(f"{kind}.csv", template, "text/csv")},
        )

    assert response.status_code == 302, response.content.decode()
    job = ImportJob.objects.get()
    assert (job.status, job.message) == (ImportStatus.SUCCEEDED, "")
    assert (job.total_rows, job.created, job.updated, job.failed) == (1, 1, 0, 0)
    assert (User.objects.count(), Reward.objects.count()) == (people, rewards)
    assert not RewardCode.objects.exists()


CSV = (
    "employee_id,email,first_name,last_name,department,title,manager_employee_id,role,salary,"
    "hire_date\n"
    "N001,new.person@example.com,New,Person,Sales,Rep,,employee,50000,2024-01-02\n"
    "N002,not-an-email,Bad,Row,Sales,Rep,,employee,50000,2024-01-02\n"
)


def _import(client, commits, *, content=CSV, dry_run=False):
    upload = SimpleUploadedFile("people.csv", content.encode(), content_type="text/csv")
    form = {"file": upload, "kind": "employees", **({"dry_run": "on"} if dry_run else {})}
    with commits(execute=True):
        response = client.post("/hr/imports/", form)
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def _words(html: str) -> str:
    """The page's text, its numbers' markup taken out."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_dry_run_says_what_would_be_created_on_the_page_and_in_the_notification(
    page_client, hr_admin, django_capture_on_commit_callbacks
):
    client = page_client(hr_admin)

    job = _import(client, django_capture_on_commit_callbacks, dry_run=True)
    page = _words(client.get(f"/hr/imports/{job.pk}/").content.decode())
    fragment = _words(client.get(f"/hr/imports/{job.pk}/", **HTMX).content.decode())

    assert not User.objects.filter(email="new.person@example.com").exists()
    for text in (page, fragment):
        assert "2 of 2 rows · 1 would be created · 0 would be updated · 1 rejected" in text
        assert "nothing was written" in text
    note = Notification.objects.get(user=hr_admin)
    assert note.title == "Your employees import (dry run) succeeded"
    assert note.body == (
        "1 would be created, 0 would be updated, 1 rejected; nothing was written (dry run)"
    )


def test_a_real_import_says_what_was_created(
    page_client, hr_admin, django_capture_on_commit_callbacks
):
    client = page_client(hr_admin)

    job = _import(client, django_capture_on_commit_callbacks)
    page = _words(client.get(f"/hr/imports/{job.pk}/").content.decode())

    assert "2 of 2 rows · 1 created · 0 updated · 1 rejected" in page
    assert "would be" not in page
    note = Notification.objects.get(user=hr_admin)
    assert (note.title, note.body) == (
        "Your employees import succeeded",
        "1 created, 0 updated, 1 rejected",
    )


def test_one_row_is_a_row(page_client, hr_admin, django_capture_on_commit_callbacks):
    client = page_client(hr_admin)
    one_row = "\n".join(CSV.splitlines()[:2]) + "\n"

    job = _import(client, django_capture_on_commit_callbacks, content=one_row)

    assert "1 of 1 row ·" in _words(client.get(f"/hr/imports/{job.pk}/").content.decode())
