"""Reading the audit log: HR's filters, newest first, and its CSV export's rows."""

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .actions import label_of
from .models import AuditEvent

CSV_COLUMNS = (
    "at",
    "action",
    "actor_id",
    "actor_email",
    "target_type",
    "target_id",
    "ip_address",
    "request_id",
    "user_agent",
    "details",
)


def audit_events(
    *,
    actor: Any = None,
    actor_email: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every filter given; ``since`` and ``until`` are whole days (in
    the company's time zone), both included."""
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_id=getattr(actor, "pk", actor))
    if actor_email:
        events = events.filter(actor_email__iexact=actor_email)
    if action:
        # "token" matches every token.* code; "token.created" only itself.
        events = events.filter(action__startswith=f"{action}.") | events.filter(action=action)
    if since:
        events = events.filter(at__gte=_start_of(since))
    if until:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    return events.order_by("-at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def known_actions() -> list[tuple[str, str]]:
    """The action codes recorded so far, with their labels, for a filter's choices."""
    codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    return sorted((code, label_of(code)) for code in codes)


def rows_for_csv(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    for event in events.iterator(chunk_size=2000):
        yield [
            event.at,
            event.action,
            event.actor_id or "",
            event.actor_email,
            event.target_type,
            event.target_id,
            event.ip_address or "",
            event.request_id,
            event.user_agent,
            json.dumps(event.details, sort_keys=True, default=str),
        ]
