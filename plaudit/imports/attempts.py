"""One attempt at an import job: claimed under a new attempt number, run, finished.

The import task (:mod:`.tasks`), or ``manage.py import_csv`` in its own process, calls
:func:`process_import`: it claims the job, holds its run's lease
(:mod:`.leases`) while its kind's :class:`~plaudit.imports.runner.Runner` works, and
records how it ended as an outbox event. :func:`jobs_left_behind` finds the jobs whose
worker died or whose message was lost, for the task to send again. Nothing here
queues a task: what queues one (:mod:`.jobs`, :mod:`.tasks`) sits above this module.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.core.after_commit import run_after_commit
from plaudit.core.errors import DomainError, NotAllowed
from plaudit.core.wording import number
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.payloads import ImportFinished
from plaudit.people.locales import language_of

from . import leases
from .kinds.registry import RUNNERS
from .models import ImportJob, ImportKind, ImportStatus, RowError, StagedRow
from .progress import Superseded, forget_progress, record_progress

logger = logging.getLogger(__name__)

# Times in a row a job is started again on its own after its worker died.
MAX_RESUMES = 2


def gave_up_message() -> str:
    return _(
        "Its worker stopped %(times)s times while running it, so it was not started "
        "again. A file too large for the worker's memory or time limit does this; fix that and "
        "re-run it."
    ) % {"times": MAX_RESUMES + 1}


def importers_language(job: ImportJob) -> str:
    """The language of whoever started the import (the company's if they chose none):
    what the job says (its message, its rejected rows' messages) is written once, as it
    runs in a worker, for them to read."""
    person = job.created_by
    return language_of(person) if person is not None else settings.LANGUAGE_CODE


# A job still queued this long after it was sent is sent again: its message was lost.
QUEUED_RESEND_SECONDS = 5 * 60


def mark_queued_again(job: ImportJob, *, resumes: int) -> None:
    """The job waits for a new attempt; the caller sends it to the task after commit."""
    job.status = ImportStatus.QUEUED
    job.resumes = resumes
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "resumes", "queued_at"])


def jobs_left_behind() -> list[int]:
    """Queue again every job that no worker is running or will run; the ids to send.

    Two ways a job is left behind: its worker died while running it (``running``,
    with its lease free), or its message never reached a worker (``queued`` for
    ``QUEUED_RESEND_SECONDS``: the broker was down, say). A spare message for a job
    that was only waiting its turn is harmless: :func:`_claim` lets a live run be.

    The caller sends each id to the import task once this has committed
    (:func:`~.tasks.resume_interrupted_imports`, run by beat every minute and by each
    worker as it starts, so a worker restarted after a crash picks up what it was
    doing). A job interrupted ``MAX_RESUMES`` times in a row (a file that exhausts the
    worker's memory or time, say) fails instead, and waits for a person to re-run it.
    """
    left_behind: list[int] = []
    lost = Q(status=ImportStatus.QUEUED) & Q(
        queued_at__lt=timezone.now() - timedelta(seconds=QUEUED_RESEND_SECONDS)
    )
    with transaction.atomic():
        jobs = ImportJob.objects.select_for_update(skip_locked=True).filter(
            lost | Q(status=ImportStatus.RUNNING)
        )
        for job in jobs:
            if job.status == ImportStatus.QUEUED:
                mark_queued_again(job, resumes=job.resumes)
                logger.warning("Import %s: still queued; sent again", job.pk)
            elif leases.is_held(job.pk, job.attempts):
                continue
            elif job.resumes >= MAX_RESUMES:
                with translation.override(importers_language(job)):
                    _finish(job, status=ImportStatus.FAILED, message=gave_up_message())
                continue
            else:
                mark_queued_again(job, resumes=job.resumes + 1)
                logger.warning("Import %s: its worker stopped while running it; sent again", job.pk)
            left_behind.append(job.pk)
    return left_behind


# --- Running -------------------------------------------------------------------------


def process_import(*, job_id: int) -> ImportJob | None:
    """Run a queued job to the end; ``None`` if it had finished or a live run has it."""
    claimed = _claim(job_id)
    if claimed is None:
        return None
    job, lease = claimed
    with lease, translation.override(importers_language(job)):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    runner = RUNNERS[job.kind](job)
    try:
        runner.run()
    except KeyboardInterrupt:  # ``manage.py import_csv`` stopped by its operator: not resumed
        _finish(job, status=ImportStatus.FAILED, message=_("It was stopped before the end."))
        raise
    except Superseded:
        logger.info("Import %s: attempt %s superseded by a newer run", job.pk, job.attempts)
        return job
    except DomainError as exc:  # a rule refused the whole job (who may act, the file)
        logger.warning("Import %s refused: %s", job.pk, exc.detail)
        message = str(exc.detail)
        if isinstance(exc, NotAllowed):  # its owner may have lost the right mid-run
            done = ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk)
            if done:
                message = ngettext(
                    "Stopped after %(count)s row: %(reason)s",
                    "Stopped after %(count)s rows: %(reason)s",
                    done,
                ) % {"count": number(done), "reason": exc.detail}
        _finish(job, status=ImportStatus.FAILED, message=message)
        return job
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, status=ImportStatus.FAILED, message=_("An unexpected error stopped it."))
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
            record_progress(job, now=True)  # the uploader's page shows it running
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
            ImportFinished(
                id=job.pk,
                kind=ImportKind(job.kind),
                status=ImportStatus(job.status),
                dry_run=job.dry_run,
                total_rows=job.total_rows,
                created=job.created,
                updated=job.updated,
                failed=job.failed,
                user=job.created_by_id,
            ),
            key=f"import:{job.pk}:{job.attempts}",
        )
        StagedRow.objects.filter(job=job).delete()
        if status == ImportStatus.SUCCEEDED and job.file:
            # The upload may hold salaries or voucher codes: once applied it is not kept.
            name, storage = str(job.file.name), job.file.storage
            job.file = ""
            job.save(update_fields=["file"])
            run_after_commit(lambda: storage.delete(name))
    forget_progress(job)
