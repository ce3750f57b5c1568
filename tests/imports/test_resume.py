"""A job whose worker died is started again on its own, and only such a job.

A run holds a PostgreSQL advisory lock (its lease) while it runs; these tests end a
run the way a killed process does, leaving the job ``running`` with no lease behind
it. tests/hardening/test_faults.py kills a real worker with SIGKILL.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from plaudit.events.models import EventType, OutboxEvent
from plaudit.imports import attempts, jobs, leases, runner, tasks
from plaudit.imports.kinds.employees import EmployeeRunner
from plaudit.imports.models import ImportJob, ImportStatus
from plaudit.people.models import User

from .conftest import csv_file, csv_text, employee_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def queued_job(by: User, rows: list[dict[str, Any]]) -> ImportJob:
    """A job for these rows, stored and queued but not yet run."""
    return jobs.start_import(
        upload=csv_file(csv_text(rows)), kind="employees", created_by=by, in_background=False
    )


class WorkerKilled(BaseException):
    """Ends a run as a killed process does: nothing catches it, nothing marks the job."""


@pytest.fixture
def interrupted_job(hr_admin: User, monkeypatch: pytest.MonkeyPatch) -> ImportJob:
    """Seven people to import, the worker gone after the first two chunks of two."""
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    rows = [employee_row(f"P{i}", manager_employee_id="P0" if i else "") for i in range(7)]
    job = queued_job(hr_admin, rows)
    real_apply = EmployeeRunner.apply_rows
    chunks = {"applied": 0}

    def dies_on_the_third_chunk(self: Any, chunk: Any) -> Any:
        if chunks["applied"] == 2:
            raise WorkerKilled()
        chunks["applied"] += 1
        return real_apply(self, chunk)

    with monkeypatch.context() as patch:
        patch.setattr(EmployeeRunner, "apply_rows", dies_on_the_third_chunk)
        with pytest.raises(WorkerKilled):
            attempts.process_import(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert User.objects.filter(employee_id__startswith="P").count() == 4
    return job


def test_a_job_whose_worker_died_is_started_again_and_finishes_without_duplicates(
    interrupted_job: ImportJob, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resumed = tasks.resume_interrupted_imports()

    assert resumed == [interrupted_job.pk]
    interrupted_job.refresh_from_db()
    assert interrupted_job.status == ImportStatus.SUCCEEDED
    assert (interrupted_job.attempts, interrupted_job.resumes) == (2, 1)
    assert interrupted_job.processed_rows == 7
    assert (interrupted_job.created, interrupted_job.failed) == (3, 0)
    assert User.objects.filter(employee_id__startswith="P").count() == 7
    assert User.objects.filter(manager__employee_id="P0").count() == 6


@pytest.fixture
def live_run(hr_admin: User) -> Iterator[ImportJob]:
    """A job claimed by a run that is still alive: its lease is held until the test ends."""
    claimed = attempts._claim(queued_job(hr_admin, [employee_row("A1")]).pk)
    assert claimed is not None
    job, lease = claimed
    with lease:
        yield job


def test_a_job_whose_run_is_alive_is_left_alone(live_run: ImportJob) -> None:
    job = ImportJob.objects.get(pk=live_run.pk)
    assert leases.is_held(job.pk, job.attempts)
    assert tasks.resume_interrupted_imports() == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.RUNNING, 1)


def test_a_spare_message_for_a_job_whose_run_is_alive_does_nothing(live_run: ImportJob) -> None:
    assert attempts.process_import(job_id=live_run.pk) is None

    job = ImportJob.objects.get(pk=live_run.pk)
    assert (job.status, job.attempts) == (ImportStatus.RUNNING, 1)
    assert leases.is_held(job.pk, 1)


def test_a_job_whose_run_ended_is_sent_again(hr_admin: User) -> None:
    job = queued_job(hr_admin, [employee_row("A1")])
    claimed = attempts._claim(job.pk)
    assert claimed is not None
    running, lease = claimed
    lease.release()  # the run's process is gone
    assert not leases.is_held(running.pk, running.attempts)
    assert tasks.resume_interrupted_imports() == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED


def test_a_job_interrupted_again_and_again_fails_with_its_reason(
    interrupted_job: ImportJob, django_capture_on_commit_callbacks: Any
) -> None:
    ImportJob.objects.filter(pk=interrupted_job.pk).update(resumes=attempts.MAX_RESUMES)

    assert tasks.resume_interrupted_imports() == []

    interrupted_job.refresh_from_db()
    assert interrupted_job.status == ImportStatus.FAILED
    assert "stopped 3 times" in interrupted_job.message
    assert OutboxEvent.objects.filter(
        type=EventType.IMPORT_FINISHED, data__id=interrupted_job.pk, data__status="failed"
    ).exists()

    # A person's re-run starts the count again, and the job runs to the end.
    with django_capture_on_commit_callbacks(execute=True):
        jobs.restart_import(actor=None, job_id=interrupted_job.pk)
    interrupted_job.refresh_from_db()
    assert (interrupted_job.status, interrupted_job.resumes) == (ImportStatus.SUCCEEDED, 0)
    assert User.objects.filter(employee_id__startswith="P").count() == 7


def test_a_finished_or_just_queued_job_is_not_sent_again(hr_admin: User) -> None:
    queued = queued_job(hr_admin, [employee_row("Q1")])
    done = queued_job(hr_admin, [employee_row("D1")])
    attempts.process_import(job_id=done.pk)

    assert tasks.resume_interrupted_imports() == []
    assert ImportJob.objects.get(pk=queued.pk).status == ImportStatus.QUEUED
    assert ImportJob.objects.get(pk=done.pk).status == ImportStatus.SUCCEEDED


def test_a_job_whose_message_was_lost_is_sent_again_and_runs(
    hr_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(hr_admin, [employee_row("L1")])  # stored; its message never sent
    long_ago = timezone.now() - timedelta(seconds=attempts.QUEUED_RESEND_SECONDS + 1)
    ImportJob.objects.filter(pk=job.pk).update(queued_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_interrupted_imports() == [job.pk]

    job.refresh_from_db()
    assert (job.status, job.attempts, job.resumes) == (ImportStatus.SUCCEEDED, 1, 0)
    assert User.objects.filter(employee_id="L1").exists()


def test_an_import_stopped_by_its_operator_fails_and_is_not_resumed(
    hr_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queued_job(hr_admin, [employee_row("C1")])

    def interrupted(self: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(EmployeeRunner, "decide", interrupted)
    with pytest.raises(KeyboardInterrupt):
        attempts.process_import(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message == "It was stopped before the end."
    assert tasks.resume_interrupted_imports() == []
