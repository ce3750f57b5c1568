"""The one way to write the audit log: :func:`record`.

Call it inside the service's own transaction, next to the change it describes, so the
fact and its record commit or roll back together. The request, when there is one,
gives the address (as django-axes reads it, behind the same proxies), the user agent;
the request id comes from django-guid, which also tags the log lines and Celery tasks.
Without the request in hand, the address and agent are the current request's
(:mod:`plaudit.audit.context`).
"""

from typing import Any

from django.db import models
from django_guid import get_guid

from plaudit.core.cache import claim

from .context import client_of
from .models import AuditEvent


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    request: Any = None,
    **details: Any,
) -> AuditEvent:
    """Append one fact to the audit log. ``actor`` may be None (a failed sign-in, the
    operator at the command line) or anonymous; ``details`` must be JSON-serialisable.
    Without ``request``, the address and user agent are the current request's, if any."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    address, user_agent = client_of(request)
    return AuditEvent.objects.create(
        actor=person,
        actor_email=getattr(person, "email", "") or "",
        action=action,
        target_type="" if target is None else target._meta.label_lower,
        target_id="" if target is None else str(target.pk),
        details=details,
        ip_address=address,
        request_id=get_guid() or "",
        user_agent=user_agent,
    )


# A reader who keeps a page open and reloads it is one fact an hour, not one a reload.
VIEWS_RECORDED_EVERY = 60 * 60


def record_view(
    action: str,
    *,
    actor: Any,
    what: str,
    target: models.Model | None = None,
    request: Any = None,
    **details: Any,
) -> AuditEvent | None:
    """Record that ``actor`` read something sensitive (``what``: "directory", "person",
    "top-salaries"...), at most once an hour per reader and thing read.

    One ``SET NX`` in the shared cache decides; without a shared cache (or with Redis
    unreachable) every view is recorded: the log may repeat itself, never miss a reader.
    """
    target_key = "" if target is None else f"{target._meta.label_lower}:{target.pk}"
    key = f"audit:seen:{action}:{getattr(actor, 'pk', '')}:{what}:{target_key}"
    if not claim(key, VIEWS_RECORDED_EVERY):
        return None
    return record(action, actor=actor, target=target, request=request, what=what, **details)
