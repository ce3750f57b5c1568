"""The management command and the admin's import page run the same import as the API."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from plaudit.imports.models import ImportJob
from plaudit.people.models import User

from .conftest import csv_file, csv_text, employee_row

pytestmark = pytest.mark.django_db


def test_import_csv_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(csv_text([employee_row("C1"), employee_row("C2", email="nope")]))

    call_command("import_csv", str(path), "--kind", "employees")

    out = capsys.readouterr().out
    assert "1 created, 0 updated, 1 rejected" in out
    assert "1 rejected" in out
    assert User.objects.filter(employee_id="C1").exists()


def test_import_csv_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(csv_text([employee_row("C1")]))

    call_command("import_csv", str(path), "--kind", "employees", "--dry-run")

    assert "1 would be created, 0 would be updated" in capsys.readouterr().out
    assert not User.objects.filter(employee_id="C1").exists()


def test_import_csv_command_refuses_a_bad_file_with_the_reason(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_csv", str(path), "--kind", "employees")
    assert not ImportJob.objects.exists()


def admin_client(client, hr_admin):
    hr_admin.is_staff = True
    hr_admin.save(update_fields=["is_staff"])
    client.force_login(hr_admin)
    return client


def test_admin_import_page_runs_the_import(client, hr_admin, django_capture_on_commit_callbacks):
    browser = admin_client(client, hr_admin)
    assert browser.get("/admin/imports/importjob/upload/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/admin/imports/importjob/upload/",
            {"file": csv_file(csv_text([employee_row("A1")])), "kind": "employees"},
        )

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"].endswith(f"/admin/imports/importjob/{job.pk}/change/")
    assert User.objects.filter(employee_id="A1").exists()


def test_admin_import_page_shows_why_a_file_is_refused(client, hr_admin):
    response = admin_client(client, hr_admin).post(
        "/admin/imports/importjob/upload/", {"file": csv_file(b"id\n1\n"), "kind": "employees"}
    )

    assert response.status_code == 400
    assert b"lacks the column" in response.content
    assert not ImportJob.objects.exists()


@override_settings(PLAUDIT={"IMPORT_MAX_BYTES": 100, "CODES_KEYS": []})
def test_admin_import_page_refuses_a_file_over_the_limit(client, hr_admin):
    response = admin_client(client, hr_admin).post(
        "/admin/imports/importjob/upload/",
        {
            "file": csv_file(csv_text([employee_row(f"A{i}") for i in range(10)])),
            "kind": "employees",
        },
    )

    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_admin_import_page_is_for_hr_admins_only(client, employee):
    employee.is_staff = True
    employee.save(update_fields=["is_staff"])
    client.force_login(employee)

    page = client.get("/admin/imports/importjob/upload/")
    posted = client.post(
        "/admin/imports/importjob/upload/",
        {"file": csv_file(csv_text([employee_row("A1")])), "kind": "employees"},
    )

    assert page.status_code in {302, 403}
    assert posted.status_code in {302, 403}
    assert not ImportJob.objects.exists()
