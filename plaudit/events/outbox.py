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

from plaudit.core.after_commit import run_after_commit

from .models import EventType, OutboxEvent


def record_event(type: EventType, data: dict[str, Any], *, key: str | None = None) -> OutboxEvent:
    """Store an event; with ``key``, a second call returns the first event instead."""
    if key is not None:
        try:
            with transaction.atomic():
                event = OutboxEvent.objects.create(type=type, data=data, key=key)
        except IntegrityError:
            return OutboxEvent.objects.get(key=key)
    else:
        event = OutboxEvent.objects.create(type=type, data=data)
    run_after_commit(_deliver_soon)
    return event


def _deliver_soon() -> None:
    """Queue delivery once the change is committed; if that fails, the sweep delivers it."""
    from . import dispatch

    dispatch.request_drain()
