"""The one way to write the audit log: :func:`record`.

Call it inside the service's own transaction, next to the change it describes, so the
fact and its record commit or roll back together. The request, when there is one,
gives the address (as django-axes reads it, behind the same proxies), the user agent;
the request id comes from django-guid, which also tags the log lines and Celery tasks.
"""

from typing import Any

from django.db import models
from django_guid import get_guid

from .models import AuditEvent

USER_AGENT_KEPT = 255


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    request: Any = None,
    **details: Any,
) -> AuditEvent:
    """Append one fact to the audit log. ``actor`` may be None (a failed sign-in, the
    system) or anonymous; ``details`` must be JSON-serialisable."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    django_request = getattr(request, "_request", request)  # a DRF request wraps Django's
    return AuditEvent.objects.create(
        actor=person,
        actor_email=getattr(person, "email", "") or "",
        action=action,
        target_type="" if target is None else target._meta.label_lower,
        target_id="" if target is None else str(target.pk),
        details=details,
        ip_address=_address_of(django_request),
        request_id=get_guid() or "",
        user_agent=_user_agent_of(django_request),
    )


def _address_of(request: Any) -> str | None:
    if request is None or not hasattr(request, "META"):
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def _user_agent_of(request: Any) -> str:
    if request is None or not hasattr(request, "META"):
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_KEPT]
