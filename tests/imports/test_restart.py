"""Starting an import over: its owner or HR may, a live run is never doubled, and an
owner who loses the right mid-run stops the job with a reason rather than a row each."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from plaudit.core.errors import NotAllowed
from plaudit.imports import attempts, jobs, leases
from plaudit.imports.errors import ImportNotRestartable
from plaudit.imports.kinds.employees import EmployeeRunner
from plaudit.imports.models import ImportJob, ImportStatus
from plaudit.people.models import User
from plaudit.people.roles import Role
from tests.factories import HRAdminFactory, UserFactory

from .conftest import csv_file, csv_text, employee_row

pytestmark = pytest.mark.django_db


def queued_job(by: User, *ids: str) -> ImportJob:
    return jobs.start_import(
        upload=csv_file(csv_text([employee_row(i) for i in ids])),
        kind="employees",
        created_by=by,
        in_background=False,
    )


def failed_job(by: User) -> ImportJob:
    job = queued_job(by, "R1")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    return job


def status_of(job: ImportJob) -> str:
    return ImportJob.objects.get(pk=job.pk).status


def test_someone_else_who_is_not_hr_may_not_restart_a_job(hr_admin, employee):
    job = failed_job(hr_admin)

    with pytest.raises(NotAllowed):
        jobs.restart_import(actor=employee, job_id=job.pk)

    assert status_of(job) == ImportStatus.FAILED


def test_the_owner_and_any_hr_admin_may_restart_a_failed_job(hr_admin):
    job = failed_job(hr_admin)

    jobs.restart_import(actor=hr_admin, job_id=job.pk)
    assert status_of(job) == ImportStatus.QUEUED

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    jobs.restart_import(actor=HRAdminFactory(), job_id=job.pk)
    assert status_of(job) == ImportStatus.QUEUED


def test_a_job_just_queued_is_refused_and_one_queued_long_ago_restarts(hr_admin):
    job = queued_job(hr_admin, "R1")

    with pytest.raises(ImportNotRestartable) as refused:
        jobs.restart_import(actor=hr_admin, job_id=job.pk)
    assert refused.value.status == 409

    long_ago = timezone.now() - timedelta(seconds=attempts.QUEUED_RESEND_SECONDS + 60)
    ImportJob.objects.filter(pk=job.pk).update(queued_at=long_ago)
    restarted = jobs.restart_import(actor=hr_admin, job_id=job.pk)

    assert restarted.status == ImportStatus.QUEUED
    assert restarted.queued_at is not None
    assert restarted.queued_at > long_ago


@pytest.mark.postgres
def test_a_job_running_now_is_refused(hr_admin):
    job = queued_job(hr_admin, "R1")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, attempts=1)

    with leases.RunLease(job.pk, 1).acquire(), pytest.raises(ImportNotRestartable) as refused:
        jobs.restart_import(actor=hr_admin, job_id=job.pk)

    assert refused.value.status == 409
    assert (status_of(job), ImportJob.objects.get(pk=job.pk).attempts) == ("running", 1)


def test_the_admin_rerun_action_asks_who_reruns(hr_admin):
    job = failed_job(hr_admin)
    clerk = UserFactory(is_staff=True, role=Role.MANAGER)  # the admin is for managers and HR
    clerk.user_permissions.add(Permission.objects.get(codename="view_importjob"))
    browser = Client()
    browser.force_login(clerk)

    response = browser.post(
        "/admin/imports/importjob/",
        {"action": "rerun", "_selected_action": [job.pk]},
        follow=True,
    )

    assert "Only whoever started an import" in response.content.decode()
    assert status_of(job) == ImportStatus.FAILED


def test_an_owner_who_loses_hr_mid_run_fails_the_job_with_the_reason(
    hr_admin, monkeypatch: pytest.MonkeyPatch
):
    HRAdminFactory()  # the company keeps another HR admin
    job = queued_job(hr_admin, "R1", "R2")
    decide = EmployeeRunner.decide

    def demoted_while_deciding(self: Any) -> None:
        decide(self)
        User.objects.filter(pk=hr_admin.pk).update(role=Role.EMPLOYEE)

    monkeypatch.setattr(EmployeeRunner, "decide", demoted_while_deciding)

    attempts.process_import(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "no longer an active HR admin" in job.message
    assert (job.created, job.failed) == (0, 0)
    assert not User.objects.filter(employee_id__in=["R1", "R2"]).exists()
