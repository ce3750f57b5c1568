"""The notifications page and badge, and HR's CSV import page with its progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaudit.events.models import Notification
from plaudit.imports.models import ImportJob, ImportStatus
from plaudit.people.models import User

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def _notify(user, title="Your redemption of Mug was approved", url=""):
    return Notification.objects.create(user=user, event="redemption.approved", title=title, url=url)


def test_the_badge_counts_my_unread_notifications(page_client, employee):
    _notify(employee)
    _notify(employee)

    page = page_client(employee).get("/").content.decode()

    assert 'id="unread-badge" data-count="2">2<' in page


def test_the_notifications_page_lists_only_mine(page_client, employee, manager):
    _notify(employee, title="Mine")
    _notify(manager, title="Theirs")

    page = page_client(employee).get("/notifications/").content.decode()

    assert "Mine" in page
    assert "Theirs" not in page


def test_marking_a_notification_read_returns_to_the_list(page_client, employee):
    notification = _notify(employee, url="/me/redemptions/")

    response = page_client(employee).post(f"/notifications/{notification.pk}/read/")

    assert response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_followed_from_the_list_is_marked_read_in_the_background(page_client, employee):
    notification = _notify(employee, url="/me/redemptions/")

    response = page_client(employee).post(f"/notifications/{notification.pk}/read/", **HTMX)

    assert response.status_code == 204
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_marked(page_client, employee, manager):
    theirs = _notify(manager)

    response = page_client(employee).post(f"/notifications/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_clears_the_badge(page_client, employee):
    _notify(employee)
    client = page_client(employee)

    client.post("/notifications/read/")

    assert 'data-count="0"' in client.get("/").content.decode()


CSV = (
    "employee_id,email,first_name,last_name,department,title,manager_employee_id,role,salary,"
    "hire_date\n"
    "N001,new.person@example.com,New,Person,Sales,Rep,,employee,50000,2024-01-02\n"
    "N002,not-an-email,Bad,Row,Sales,Rep,,employee,50000,2024-01-02\n"
)


def _upload(client, commits, csv=CSV):
    """Post the form; the job runs inline once the request commits (no broker in tests)."""
    upload = SimpleUploadedFile("people.csv", csv.encode(), content_type="text/csv")
    with commits(execute=True):
        return client.post("/hr/imports/", {"file": upload, "kind": "employees"})


def test_hr_imports_a_csv_and_sees_the_finished_progress_and_the_errors_link(
    page_client, hr_admin, django_capture_on_commit_callbacks
):
    client = page_client(hr_admin)

    response = _upload(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/hr/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert User.objects.filter(email="new.person@example.com").exists()
    assert "<progress" in page
    assert f'href="/api/v1/imports/{job.pk}/errors/"' in page
    assert 'data-testid="import-done"' in page


def test_the_progress_fragment_polls_until_the_job_is_done(
    page_client, hr_admin, django_capture_on_commit_callbacks
):
    client = page_client(hr_admin)
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    client.post("/hr/imports/", {"file": upload, "kind": "employees"})  # queued, not run
    job = ImportJob.objects.get()
    queued = client.get(f"/hr/imports/{job.pk}/", **HTMX).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        from plaudit.imports.attempts import process_import

        process_import(job_id=job.pk)

    fragment = client.get(f"/hr/imports/{job.pk}/", **HTMX).content.decode()

    assert 'hx-trigger="every 1s"' in queued
    assert "<html" not in fragment
    assert "hx-trigger" not in fragment
    assert "2 of" in fragment or ">2<" in fragment


def test_a_file_that_is_not_a_csv_of_that_kind_is_refused_on_the_page(page_client, hr_admin):
    upload = SimpleUploadedFile("people.csv", b"nothing,useful\n1,2\n", content_type="text/csv")

    response = page_client(hr_admin).post("/hr/imports/", {"file": upload, "kind": "employees"})

    assert response.status_code in {400, 422}
    assert 'role="alert"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_hr_admins_may_import(page_client, manager):
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")

    response = page_client(manager).post("/hr/imports/", {"file": upload, "kind": "employees"})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()
