"""A running job's counters, fenced by its attempt, and the live push of them to its uploader.

Every phase of a run moves the counters in the transaction that does the work, so a
job's figures are always those of what it committed. A newer run of the same job (a
restart, or a resume after its worker died) takes a new attempt number; an older run
that tries to count then finds no row of its attempt and stops (:class:`Superseded`).
"""

import time

from django.db.models import F

from plaudit.events.realtime import push_import_progress

from .models import ImportJob

PROGRESS_PUSH_SECONDS = 1.0


class Superseded(Exception):
    """Another run of the same job has started; this one stops without writing more."""


def advance(
    job: ImportJob, *, processed: int = 0, created: int = 0, updated: int = 0, failed: int = 0
) -> None:
    """Move the counters, in the caller's transaction; stop if a newer run took over."""
    moved = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        processed_rows=F("processed_rows") + processed,
        created=F("created") + created,
        updated=F("updated") + updated,
        failed=F("failed") + failed,
    )
    if not moved:
        raise Superseded()
    job.processed_rows += processed
    job.created += created
    job.updated += updated
    job.failed += failed


_last_push: dict[int, float] = {}


def push_progress(job: ImportJob, *, force: bool = False) -> None:
    """Tell the uploader's open pages how far the job is, at most about once a second."""
    if job.created_by_id is None:
        return
    now = time.monotonic()
    if not force and now - _last_push.get(job.pk, 0.0) < PROGRESS_PUSH_SECONDS:
        return
    _last_push[job.pk] = now
    if force:
        _last_push.pop(job.pk, None)
    push_import_progress(
        job.created_by_id,
        {
            "id": job.pk,
            "kind": job.kind,
            "status": job.status,
            "total_rows": job.total_rows,
            "processed_rows": job.processed_rows,
            "created": job.created,
            "updated": job.updated,
            "failed": job.failed,
        },
    )
