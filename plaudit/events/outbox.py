"""Recording domain events: the one function services call.

``record_event`` must run inside the caller's transaction so the event commits
or rolls back with the change it describes; delivery happens after commit.
"""

from typing import Any

from django.db import IntegrityError, transaction

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
    transaction.on_commit(lambda: _dispatch_soon(event.pk))
    return event


def _dispatch_soon(event_id: Any) -> None:
    """Hand the event to the dispatcher once the change is committed (no-op until wired)."""
    from . import dispatch

    dispatch.schedule(event_id)
