"""Recording domain events: the one function services call for every side effect.

``record_event`` must run inside the caller's transaction so the event commits
or rolls back with the change it describes; every consumer (notifications, email,
webhooks, live pushes to open pages) acts on it after commit, so only on a
committed fact.

``data`` is the type's typed payload (:mod:`.payloads`): plain JSON (ids, and the
few names a message needs as they were at the time) that says who should be told.
Webhook receivers get it as it is, and ``docs/webhooks.md`` publishes its schema.
"""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django_guid import get_guid

from plaudit.core.after_commit import run_after_commit

from .models import EventType, OutboxEvent
from .payloads import EventData, validated
from .tasks import request_drain


def record_event(
    type: EventType, data: EventData | Mapping[str, Any], *, key: str | None = None
) -> OutboxEvent:
    """Store an event; with ``key``, a second call returns the first event instead.

    ``data`` must be the payload ``type`` carries (as its model, or as JSON that
    validates into it), else this raises and the caller's change rolls back. The
    event keeps the current request's id (or the task's, in a worker), so its
    delivery can be traced back to what caused it whichever drain delivers it.
    """
    payload = validated(type, data).model_dump(mode="json")
    fields = {"type": type, "data": payload, "request_id": get_guid() or ""}
    if key is not None:
        try:
            with transaction.atomic():
                event = OutboxEvent.objects.create(key=key, **fields)
        except IntegrityError:
            return OutboxEvent.objects.get(key=key)
    else:
        event = OutboxEvent.objects.create(**fields)
    # Once the change is committed; if queueing fails, the sweep delivers it.
    run_after_commit(request_drain)
    return event
