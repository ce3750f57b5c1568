"""A running job's counters, fenced by its attempt, and the outbox events that tell of them.

Every phase of a run moves the counters in the transaction that does the work, so a
job's figures are always those of what it committed. A newer run of the same job (a
restart, or a resume after its worker died) takes a new attempt number; an older run
that tries to count then finds no row of its attempt and stops (:class:`Superseded`).

The same transaction records an ``import.progressed`` event, at most about once a
second, so the uploader's open pages follow the job through the outbox like every other
live update, and only ever hear of committed work (:mod:`.subscribers`).
"""

import time

from django.db.models import F

from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.payloads import ImportProgressed

from .models import ImportJob, ImportKind, ImportStatus

PROGRESS_EVENT_SECONDS = 1.0


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
        forget_progress(job)  # this run ends here, without the finish that forgets it
        raise Superseded()
    job.processed_rows += processed
    job.created += created
    job.updated += updated
    job.failed += failed
    record_progress(job)


# When this process last recorded each running job's progress.
_last_recorded: dict[int, float] = {}


def record_progress(job: ImportJob, *, now: bool = False) -> None:
    """Record how far the job is, in the caller's transaction: at most about once a
    second (``now`` records it whatever the time), so a million rows make a few hundred
    events, not one per chunk."""
    clock = time.monotonic()
    if not now and clock - _last_recorded.get(job.pk, float("-inf")) < PROGRESS_EVENT_SECONDS:
        return
    _last_recorded[job.pk] = clock
    record_event(
        EventType.IMPORT_PROGRESSED,
        ImportProgressed(
            id=job.pk,
            kind=ImportKind(job.kind),
            status=ImportStatus(job.status),
            total_rows=job.total_rows,
            processed_rows=job.processed_rows,
            created=job.created,
            updated=job.updated,
            failed=job.failed,
            user=job.created_by_id,
        ),
    )


def forget_progress(job: ImportJob) -> None:
    """The job has finished (its ``import.finished`` event tells the rest), or this run
    of it was superseded: this process need not remember when it last told of it."""
    _last_recorded.pop(job.pk, None)
