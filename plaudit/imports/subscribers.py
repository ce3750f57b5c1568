"""Imports' consumer of outbox events: the uploader's open pages follow their job."""

from plaudit.events.dispatch import live_consumer
from plaudit.events.models import EventType, OutboxEvent
from plaudit.events.payloads import ImportFinished, ImportProgressed, payload_of
from plaudit.events.realtime import has_open_socket, push_to_user

from .models import ImportJob

HANDLED = frozenset({EventType.IMPORT_PROGRESSED, EventType.IMPORT_FINISHED})

# The job as the API shows its progress; the page's progress bar reads these.
PROGRESS_FIELDS = (
    "id",
    "kind",
    "status",
    "total_rows",
    "processed_rows",
    "created",
    "updated",
    "failed",
)


@live_consumer
def push_import_progress(event: OutboxEvent) -> None:
    """Push the job as it is now to the uploader's open sockets.

    Read when pushed, so it is committed and never older than what the page already
    shows, whichever of a job's events arrives last. With no socket open it costs one
    cache read and no query; any other event costs nothing (its payload is not read).
    """
    if event.type not in HANDLED:
        return
    payload = payload_of(event)
    if not isinstance(payload, ImportProgressed | ImportFinished) or payload.user is None:
        return
    if not has_open_socket(payload.user):
        return
    job = ImportJob.objects.filter(pk=payload.id).values(*PROGRESS_FIELDS).first()
    if job is not None:
        push_to_user(payload.user, {"type": "import.progress", **job})
