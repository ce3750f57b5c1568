"""Employee imports: upsert by employee_id, partial failure, duplicates, re-import, dry run."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.imports import runner
from plaudit.imports.kinds.employees import EmployeeRunner
from plaudit.imports.models import ImportJob, StagedRow
from plaudit.people.models import Department, User
from plaudit.recognition.services import Gift, give_recognition
from tests.factories import UserFactory

from .conftest import EMPLOYEE_COLUMNS, csv_text, employee_row, errors_of

pytestmark = pytest.mark.django_db


def test_new_people_are_created_with_department_manager_salary_and_hire_date(run_import):
    job = run_import(
        csv_text(
            [
                employee_row("E1", role="manager", salary="91000.50"),
                employee_row("E2", manager_employee_id="E1", department="Sales"),
            ]
        )
    )

    assert job["status"] == "succeeded"
    assert (job["total_rows"], job["processed_rows"]) == (2, 2)
    assert (job["created"], job["updated"], job["failed"]) == (2, 0, 0)
    boss = User.objects.get(employee_id="E1")
    report = User.objects.get(employee_id="E2")
    assert (boss.role, boss.salary) == ("manager", Decimal("91000.50"))
    assert report.manager == boss
    assert report.department.name == "Sales"
    assert str(report.hire_date) == "2024-01-15"
    assert not report.has_usable_password()


def test_existing_people_are_updated_by_employee_id(run_import):
    person = UserFactory(employee_id="E7", title="Intern", salary=Decimal(1000))
    job = run_import(csv_text([employee_row("E7", title="Engineer", salary="62000")]))

    assert (job["created"], job["updated"]) == (0, 1)
    person.refresh_from_db()
    assert (person.title, person.salary, person.email) == ("Engineer", 62000, "e7@example.com")


def test_a_manager_may_appear_later_in_the_same_file(run_import):
    rows = [employee_row(f"R{i}", manager_employee_id="BOSS") for i in range(5)]
    job = run_import(csv_text([*rows, employee_row("BOSS", role="manager")]))

    assert job["failed"] == 0
    boss = User.objects.get(employee_id="BOSS")
    assert set(boss.reports.values_list("employee_id", flat=True)) == {f"R{i}" for i in range(5)}


def test_manager_further_down_is_linked_across_chunks(run_import, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 3)
    rows = [employee_row(f"R{i}", manager_employee_id="BOSS") for i in range(7)]
    job = run_import(csv_text([*rows, employee_row("BOSS")]))

    assert (job["created"], job["failed"]) == (8, 0)
    assert User.objects.filter(manager__employee_id="BOSS").count() == 7


def test_valid_rows_are_applied_and_rejected_rows_listed_with_their_line(run_import, hr_client):
    UserFactory(employee_id="KEEP", title="Unchanged", email="keep@example.com")
    rows = [
        employee_row("OK1"),
        employee_row("KEEP", email="not-an-email", title="Changed"),
        employee_row("BAD", role="wizard", salary="12,000", hire_date="15/01/2024"),
        employee_row("ORPHAN", manager_employee_id="NOBODY"),
        employee_row("OK2", manager_employee_id="OK1"),
    ]
    job = run_import(csv_text(rows))

    assert (job["created"], job["updated"], job["failed"]) == (2, 0, 3)
    assert job["processed_rows"] == job["total_rows"] == 5
    assert set(User.objects.values_list("employee_id", flat=True)) >= {"OK1", "OK2", "KEEP"}
    assert not User.objects.filter(employee_id__in=["BAD", "ORPHAN"]).exists()
    assert User.objects.get(employee_id="KEEP").title == "Unchanged"
    errors = errors_of(hr_client, job)
    assert errors[0] == ["row", "column", "message"]
    by_place = {(row, column) for row, column, _ in errors[1:]}
    assert by_place == {
        ("3", "email"),
        ("4", "role"),
        ("4", "salary"),
        ("4", "hire_date"),
        ("5", "manager_employee_id"),
    }


def test_a_report_of_a_rejected_manager_is_rejected_too(run_import, hr_client):
    rows = [
        employee_row("BOSS", email="broken"),
        employee_row("R1", manager_employee_id="BOSS"),
        employee_row("R2", manager_employee_id="R1"),
    ]
    job = run_import(csv_text(rows))

    assert (job["created"], job["failed"]) == (0, 3)
    assert not User.objects.filter(employee_id__in=["BOSS", "R1", "R2"]).exists()


def test_the_first_of_duplicate_employee_ids_counts_and_later_ones_are_rejected(
    run_import, hr_client
):
    rows = [
        employee_row("E1", title="First"),
        employee_row("E2"),
        employee_row("E1", title="Second", email="other@example.com"),
        employee_row("E1", title="Third", email="third@example.com"),
    ]
    job = run_import(csv_text(rows))

    assert (job["created"], job["failed"]) == (2, 2)
    assert User.objects.get(employee_id="E1").title == "First"
    errors = errors_of(hr_client, job)[1:]
    assert [(row, column) for row, column, _ in errors] == [
        ("4", "employee_id"),
        ("5", "employee_id"),
    ]
    assert "line 2" in errors[0][2]


def test_a_duplicate_counts_against_the_first_row_even_when_that_row_was_rejected(run_import):
    rows = [employee_row("E1", email="broken"), employee_row("E1")]
    job = run_import(csv_text(rows))

    assert (job["created"], job["failed"]) == (0, 2)
    assert not User.objects.filter(employee_id="E1").exists()


def test_an_email_already_used_by_another_person_is_rejected(run_import, hr_client):
    UserFactory(employee_id="OLD", email="taken@example.com")
    rows = [
        employee_row("NEW", email="taken@example.com"),
        employee_row("A", email="same@example.com"),
        employee_row("B", email="same@example.com"),
    ]
    job = run_import(csv_text(rows))

    assert (job["created"], job["failed"]) == (1, 2)
    assert [(r, c) for r, c, _ in errors_of(hr_client, job)[1:]] == [("2", "email"), ("4", "email")]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(run_import):
    content = csv_text(
        [
            employee_row("E1", role="manager"),
            employee_row("E2", manager_employee_id="E1", salary="50000"),
            employee_row("E3", manager_employee_id="E4", department="", salary="", hire_date=""),
            employee_row("E4"),
        ]
    )
    first = run_import(content)
    before = list(User.objects.order_by("pk").values())

    second = run_import(content)

    assert (first["created"], first["updated"]) == (4, 0)
    assert (second["created"], second["updated"], second["failed"]) == (0, 0, 0)
    assert list(User.objects.order_by("pk").values()) == before


def test_columns_may_come_in_any_order_and_unknown_columns_are_reported(run_import):
    columns = ["notes", *reversed(EMPLOYEE_COLUMNS)]
    job = run_import(csv_text([{**employee_row("E1"), "notes": "hi"}], columns=columns))

    assert job["created"] == 1
    assert job["unknown_columns"] == ["notes"]


def test_a_byte_order_mark_is_accepted(run_import):
    job = run_import(b"\xef\xbb\xbf" + csv_text([employee_row("E1")]).encode())
    assert job["created"] == 1


def test_dry_run_reports_what_would_change_and_writes_nothing(run_import):
    UserFactory(employee_id="E1", title="Old")
    rows = [
        employee_row("E1"),
        employee_row("E2", department="Brand new"),
        employee_row("E3", email="x"),
    ]
    people_before = list(User.objects.order_by("pk").values())

    job = run_import(csv_text(rows), dry_run="true")

    assert job["dry_run"] is True
    assert (job["created"], job["updated"], job["failed"]) == (1, 1, 1)
    assert list(User.objects.order_by("pk").values()) == people_before
    assert not Department.objects.filter(name="Brand new").exists()


def test_a_job_that_dies_part_way_can_be_rerun_safely(
    run_import, hr_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    rows = [employee_row(f"P{i}", manager_employee_id="P0" if i else "") for i in range(7)]
    real_apply = EmployeeRunner.apply_rows
    calls = {"n": 0}

    def dies_on_the_third_chunk(self, chunk):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real_apply(self, chunk)

    monkeypatch.setattr(EmployeeRunner, "apply_rows", dies_on_the_third_chunk)
    job = run_import(csv_text(rows))
    assert job["status"] == "failed"
    assert User.objects.filter(employee_id__startswith="P").count() == 4

    monkeypatch.setattr(EmployeeRunner, "apply_rows", real_apply)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(f"/api/v1/imports/{job['id']}/rerun/")
    assert response.status_code == 202
    rerun = hr_client.get(f"/api/v1/imports/{job['id']}/").json()

    assert rerun["status"] == "succeeded"
    assert (rerun["created"], rerun["updated"], rerun["failed"]) == (3, 0, 0)
    assert rerun["processed_rows"] == 7
    assert User.objects.filter(manager__employee_id="P0").count() == 6
    assert not StagedRow.objects.exists()


def test_a_finished_job_cannot_be_rerun(run_import, hr_client):
    job = run_import(csv_text([employee_row("E1")]))
    response = hr_client.post(f"/api/v1/imports/{job['id']}/rerun/")
    assert response.status_code == 409
    assert response.json()["code"] == "import_not_restartable"


def test_the_upload_is_not_kept_once_applied(run_import):
    job = run_import(csv_text([employee_row("E1")]))
    assert not ImportJob.objects.get(pk=job["id"]).file


def test_progress_is_visible_while_the_job_runs(run_import, hr_client, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    seen = []
    real_apply = EmployeeRunner.apply_rows

    def watching(self, chunk):
        seen.append(hr_client.get(f"/api/v1/imports/{self.job.pk}/").json())
        return real_apply(self, chunk)

    monkeypatch.setattr(EmployeeRunner, "apply_rows", watching)
    run_import(csv_text([employee_row(f"E{i}") for i in range(6)]))

    assert [(job["status"], job["processed_rows"]) for job in seen] == [
        ("running", 0),
        ("running", 2),
        ("running", 4),
    ]
    assert all(job["total_rows"] == 6 for job in seen)


def test_a_finished_import_records_an_event(run_import):
    from plaudit.events.models import EventType, OutboxEvent

    job = run_import(csv_text([employee_row("E1")]))
    event = OutboxEvent.objects.get(type=EventType.IMPORT_FINISHED)
    assert (event.data["id"], event.data["status"]) == (job["id"], "succeeded")


@pytest.mark.parametrize(
    "path", ["imports/secret.csv", "./imports/secret.csv", "rewards/../imports/secret.csv"]
)
def test_a_stored_upload_is_never_served_as_media(path, client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    default_storage.save("imports/secret.csv", ContentFile(b"employee_id,salary\nE1,90000\n"))
    default_storage.save("rewards/mug.txt", ContentFile(b"a mug"))

    assert client.get("/media/rewards/mug.txt").status_code == 200
    assert client.get("/media/" + path).status_code == 404


def test_a_renamed_or_promoted_person_shows_at_once_in_the_feed_and_their_rights(
    run_import, client_for
):
    """bulk_update sends no signals; the import itself tells the caches."""
    person = UserFactory(employee_id="E9", first_name="Old", role="employee")
    give_recognition(giver=person, message="Thanks", gifts=[Gift(UserFactory(), 1)])
    reader = client_for(UserFactory())
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(person)}")
    assert (
        reader.get("/api/v1/recognitions/").json()["results"][0]["giver"]["name"].startswith("Old")
    )
    cache.delete(f"auth:user:{person.pk}")  # the tombstone from creating them has expired
    assert token_client.get("/api/v1/me/").status_code == 200  # now cached as an employee
    before = token_client.post("/api/v1/rewards/", {"name": "Plant", "cost": 5}).status_code

    run_import(csv_text([employee_row("E9", first_name="New", role="hr_admin")]))

    feed = reader.get("/api/v1/recognitions/").json()["results"][0]
    assert feed["giver"]["name"].startswith("New")
    assert before == 403
    assert token_client.post("/api/v1/rewards/", {"name": "Plant", "cost": 5}).status_code == 201
