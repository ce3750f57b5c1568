"""An import job's lifecycle: started, claimed and run, finished; restarted or resumed.

The API, the admin's import page, the web page and ``manage.py import_csv`` all call
:func:`start_import`; the Celery task (or the command, in-process) calls
:func:`process_import`, which claims the job under a new attempt number, runs its
kind's :class:`~plaudit.imports.runner.Runner` and records how it ended. A job
whose worker died, or whose message was lost, is sent again by
:func:`resume_interrupted_imports`; a person re-runs a failed one with
:func:`restart_import`.
"""

import logging
from datetime import timedelta
from uuid import uuid4

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from plaudit.core.after_commit import enqueue_after_commit, run_after_commit
from plaudit.core.errors import DomainError
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.people.models import User
from plaudit.rewards.models import Reward

from . import leases
from .errors import ImportNotRestartable, InvalidImportFile
from .files import check_size, inspect_csv
from .kinds.registry import RUNNERS, SPECS
from .models import ImportJob, ImportKind, ImportStatus, RowError, StagedRow
from .progress import Superseded, push_progress

logger = logging.getLogger(__name__)

# Times in a row a job is started again on its own after its worker died.
MAX_RESUMES = 2
GAVE_UP_MESSAGE = (
    f"Its worker stopped {MAX_RESUMES + 1} times while running it, so it was not started "
    "again. A file too large for the worker's memory or time limit does this; fix that and "
    "re-run it."
)
# A job still queued this long after it was sent is sent again: its message was lost.
QUEUED_RESEND_SECONDS = 5 * 60


# --- Starting -------------------------------------------------------------------------


def start_import(
    *,
    upload: File,  # type: ignore[type-arg,unused-ignore]
    kind: str,
    created_by: User | None,
    dry_run: bool = False,
    reward_id: int | None = None,
    in_background: bool = True,
) -> ImportJob:
    """Check the file, store it and queue the job; raise before anything is stored if bad.

    ``in_background=False`` leaves running to the caller (the management command
    runs :func:`process_import` in its own process).
    """
    if kind not in SPECS:
        raise InvalidImportFile(f"'{kind}' is not a kind of import; use {', '.join(SPECS)}.")
    spec = SPECS[kind]
    if kind == ImportKind.REWARD_CODES and (
        reward_id is None or not Reward.all_objects.filter(pk=reward_id).exists()
    ):
        raise InvalidImportFile("A reward_codes import needs the id of an existing reward.")
    check_size(upload.size)
    upload.seek(0)
    inspection = inspect_csv(upload, spec)
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        dry_run=dry_run,
        reward_id=reward_id if kind == ImportKind.REWARD_CODES else None,
        created_by=created_by,
        original_name=(upload.name or "")[-255:],
        total_rows=inspection.total_rows,
        unknown_columns=inspection.header.unknown,
        queued_at=timezone.now(),
    )
    # Stored first (a move, for a temporary upload), so a rolled-back job leaves at most
    # an orphan file and never a job without its file.
    job.file.save(f"{uuid4().hex}.csv", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            if in_background:
                from . import tasks

                enqueue_after_commit(tasks.process_import, job.pk)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def restart_import(*, job_id: int) -> ImportJob:
    """Queue a failed (or interrupted) job again; it starts over from its stored file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in {ImportStatus.FAILED, ImportStatus.RUNNING} or not job.file:
            raise ImportNotRestartable()
        _queue_again(job, resumes=0)
    return job


def _queue_again(job: ImportJob, *, resumes: int) -> None:
    job.status = ImportStatus.QUEUED
    job.resumes = resumes
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "resumes", "queued_at"])
    from . import tasks

    enqueue_after_commit(tasks.process_import, job.pk)


def resume_interrupted_imports() -> list[int]:
    """Send again every job that no worker is running or will run; the ids sent.

    Two ways a job is left behind: its worker died while running it (``running``,
    with its lease free), or its message never reached a worker (``queued`` for
    ``QUEUED_RESEND_SECONDS``: the broker was down, say). A spare message for a job
    that was only waiting its turn is harmless: :func:`_claim` lets a live run be.

    Run by beat every minute and by each worker as it starts, so a worker restarted
    after a crash picks up what it was doing. A job interrupted ``MAX_RESUMES`` times
    in a row (a file that exhausts the worker's memory or time, say) fails instead,
    and waits for a person to re-run it.
    """
    sent: list[int] = []
    lost = Q(status=ImportStatus.QUEUED) & Q(
        queued_at__lt=timezone.now() - timedelta(seconds=QUEUED_RESEND_SECONDS)
    )
    with transaction.atomic():
        jobs = ImportJob.objects.select_for_update(skip_locked=True).filter(
            lost | Q(status=ImportStatus.RUNNING)
        )
        for job in jobs:
            if job.status == ImportStatus.QUEUED:
                _queue_again(job, resumes=job.resumes)
                logger.warning("Import %s: still queued; sent again", job.pk)
            elif leases.is_held(job.pk, job.attempts):
                continue
            elif job.resumes >= MAX_RESUMES:
                _finish(job, status=ImportStatus.FAILED, message=GAVE_UP_MESSAGE)
                continue
            else:
                _queue_again(job, resumes=job.resumes + 1)
                logger.warning("Import %s: its worker stopped while running it; sent again", job.pk)
            sent.append(job.pk)
    return sent


# --- Running -------------------------------------------------------------------------


def process_import(*, job_id: int) -> ImportJob | None:
    """Run a queued job to the end; ``None`` if it had finished or a live run has it."""
    claimed = _claim(job_id)
    if claimed is None:
        return None
    job, lease = claimed
    with lease:
        push_progress(job)
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    runner = RUNNERS[job.kind](job)
    try:
        runner.run()
    except KeyboardInterrupt:  # ``manage.py import_csv`` stopped by its operator: not resumed
        _finish(job, status=ImportStatus.FAILED, message="It was stopped before the end.")
        raise
    except Superseded:
        logger.info("Import %s: attempt %s superseded by a newer run", job.pk, job.attempts)
        return job
    except DomainError as exc:  # a rule refused the whole job (who may act, the file)
        logger.warning("Import %s refused: %s", job.pk, exc.detail)
        _finish(job, status=ImportStatus.FAILED, message=exc.detail)
        return job
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, status=ImportStatus.FAILED, message="An unexpected error stopped it.")
        return job
    _finish(job, status=ImportStatus.SUCCEEDED)
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> tuple[ImportJob, leases.RunLease] | None:
    """Take the job for this run: a new attempt number fences off any older run.

    The run's lease is taken before the claim commits, so no one ever sees the job
    ``running`` under this attempt without it.
    """
    lease: leases.RunLease | None = None
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
                return None
            if job.status == ImportStatus.RUNNING and leases.is_held(job.pk, job.attempts):
                return None  # a spare message: the run it was meant to start is alive
            job.attempts += 1
            job.status = ImportStatus.RUNNING
            job.started_at = timezone.now()
            job.finished_at = None
            job.processed_rows = job.created = job.updated = job.failed = 0
            job.message = ""
            job.save()
            RowError.objects.filter(job=job).delete()
            StagedRow.objects.filter(job=job).delete()
            lease = leases.RunLease(job.pk, job.attempts).acquire()
    except BaseException:
        if lease is not None:
            lease.release()
        raise
    return job, lease


def _finish(job: ImportJob, *, status: ImportStatus, message: str = "") -> None:
    with transaction.atomic():
        finished = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
            status=status, message=message, finished_at=timezone.now()
        )
        if not finished:
            return
        job.refresh_from_db()
        record_event(
            EventType.IMPORT_FINISHED,
            {
                "id": job.pk,
                "kind": job.kind,
                "status": job.status,
                "dry_run": job.dry_run,
                "total_rows": job.total_rows,
                "created": job.created,
                "updated": job.updated,
                "failed": job.failed,
                "user": job.created_by_id,
            },
            key=f"import:{job.pk}:{job.attempts}",
        )
        StagedRow.objects.filter(job=job).delete()
        if status == ImportStatus.SUCCEEDED and job.file:
            # The upload may hold salaries or voucher codes: once applied it is not kept.
            name, storage = str(job.file.name), job.file.storage
            job.file = ""
            job.save(update_fields=["file"])
            run_after_commit(lambda: storage.delete(name))
    push_progress(job, force=True)
