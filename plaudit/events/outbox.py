"""Recording domain events: the one function services call.

``record_event`` must run inside the caller's transaction so the event commits
or rolls back with the change it describes; delivery happens after commit.

Data convention, shared by every producer: ``data`` holds plain JSON (ids, and
the few names a message needs as they were at the time), and says who should
be told: ``"recipients"`` (a list of person ids, or of ``{"user": id, ...}``
objects) or, for one person, ``"user"``. An event with neither reaches only
the other systems (webhooks). Webhook receivers get ``data`` as it is.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django_guid import get_guid

from plaudit.core.after_commit import run_after_commit

from .models import EventType, OutboxEvent


def record_event(type: EventType, data: dict[str, Any], *, key: str | None = None) -> OutboxEvent:
    """Store an event; with ``key``, a second call returns the first event instead.

    The event keeps the current request's id (or the task's, in a worker), so its
    delivery can be traced back to what caused it whichever drain delivers it.
    """
    fields = {"type": type, "data": data, "request_id": get_guid() or ""}
    if key is not None:
        try:
            with transaction.atomic():
                event = OutboxEvent.objects.create(key=key, **fields)
        except IntegrityError:
            return OutboxEvent.objects.get(key=key)
    else:
        event = OutboxEvent.objects.create(**fields)
    run_after_commit(_deliver_soon)
    return event


def _deliver_soon() -> None:
    """Queue delivery once the change is committed; if that fails, the sweep delivers it."""
    from . import dispatch

    dispatch.request_drain()
