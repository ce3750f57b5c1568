"""Every write of the events app: notifications, preferences, webhook endpoints and redeliveries."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from plaudit.core import encryption
from plaudit.core.after_commit import enqueue_after_commit
from plaudit.core.services import check_fields
from plaudit.people.locales import speaking_to
from plaudit.people.models import User

from . import tasks, webhooks
from .messages import describe, one_read_per_reward
from .models import (
    EventType,
    Notification,
    NotificationPreference,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from .payloads import EventData, payload_of
from .realtime import push_after_commit


def preferences_of(user: User) -> NotificationPreference:
    """The person's preferences, or the defaults (unsaved) if they never changed any."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def notification_message(notification: Notification) -> dict[str, Any]:
    """A notification as the API and the WebSocket show it."""
    return {
        "id": notification.pk,
        "event": notification.event,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def notify_recipients(*, event: OutboxEvent) -> list[Notification]:
    """Give each active recipient who has not muted the event type one notification.

    Idempotent: a person already notified of this event is skipped, so their
    push and email happen once too. The caller runs in a transaction and holds the
    event's row lock (a dispatcher does), so nobody notifies of it meanwhile; the
    unique constraint is the last line of defence. One query finds who was already
    told and one inserts the rest, and after commit one cache read finds which of them
    have a page open to push to, however many recipients there are.
    """
    payload = payload_of(event)
    recipients = payload.people_to_notify()
    if not recipients:
        return []
    people = User.objects.filter(pk__in=recipients, is_active=True).select_related(
        "notification_preference"
    )
    told = set(
        Notification.objects.filter(outbox_event=event, user__in=recipients).values_list(
            "user_id", flat=True
        )
    )
    to_tell = []
    for person in people:
        preferences = preferences_of(person)
        if person.pk not in told and event.type not in preferences.muted_events:
            to_tell.append((person, preferences))
    with one_read_per_reward():
        created = Notification.objects.bulk_create(
            _notification(event, payload, person) for person, _ in to_tell
        )
    push_after_commit(
        {
            notification.user_id: {"type": "notification", **notification_message(notification)}
            for notification in created
        }
    )
    for notification, (person, preferences) in zip(created, to_tell, strict=True):
        if preferences.email_enabled and not preferences.daily_digest and person.email:
            enqueue_after_commit(tasks.send_notification_email, notification.pk)
    return created


def _notification(event: OutboxEvent, payload: EventData, person: User) -> Notification:
    """Written in the recipient's language and time zone: it is stored as written and read
    later (in the app, in emails, in pushes), whoever made the change and wherever."""
    with speaking_to(person):
        message = describe(event.type, payload, person.pk)
    return Notification(
        outbox_event=event,
        user=person,
        event=event.type,
        title=message.title[:200],
        body=message.body,
        url=message.url[:500],
    )


def mark_read(*, notification: Notification) -> Notification:
    """Reading twice keeps the first reading time."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


PREFERENCE_FIELDS = frozenset({"muted_events", "email_enabled", "daily_digest"})


def update_preferences(*, user: User, **changes: Any) -> NotificationPreference:
    check_fields(changes, PREFERENCE_FIELDS, kind="preference")
    if "muted_events" in changes:
        changes["muted_events"] = sorted(set(changes["muted_events"]))
    with transaction.atomic():
        preferences, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        for name, value in changes.items():
            setattr(preferences, name, value)
        preferences.save()
    return preferences


# --- Webhooks ------------------------------------------------------------------------


def queue_webhook_deliveries(*, event: OutboxEvent) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to the event's type, created once.

    The caller runs in a transaction; each new delivery is posted after commit.
    """
    created = []
    for endpoint in WebhookEndpoint.objects.filter(is_active=True):
        if event.type not in endpoint.events:
            continue
        delivery, is_new = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint, event=event, redelivery_of=None
        )
        if is_new:
            created.append(delivery)
            enqueue_after_commit(tasks.deliver_webhook, delivery.pk)
    return created


def _clean_events(events: list[str]) -> list[str]:
    unknown = set(events) - set(EventType.values)
    if unknown:
        raise ValueError(f"Unknown event types: {sorted(unknown)}")
    return sorted(set(events))


def register_webhook(
    *,
    url: str,
    events: list[str],
    secret: str,
    created_by: User | None,
    is_active: bool = True,
) -> WebhookEndpoint:
    """Refuses a URL that resolves into a private network (SSRF) unless its host is allowed.

    An endpoint may be registered paused (``is_active=False``) and switched on later.
    """
    webhooks.check_url_allowed(url)
    return WebhookEndpoint.objects.create(
        url=url,
        events=_clean_events(events),
        secret_encrypted=encryption.encrypt(secret),
        created_by=created_by,
        is_active=is_active,
    )


WEBHOOK_FIELDS = frozenset({"url", "events", "secret", "is_active"})


def update_webhook(endpoint: WebhookEndpoint, **changes: Any) -> WebhookEndpoint:
    check_fields(changes, WEBHOOK_FIELDS, kind="webhook")
    if "url" in changes:
        webhooks.check_url_allowed(changes["url"])
    if "events" in changes:
        changes["events"] = _clean_events(changes["events"])
    if "secret" in changes:
        changes["secret_encrypted"] = encryption.encrypt(changes.pop("secret"))
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.save(update_fields=[*changes, "updated_at"])
    return endpoint


def rotate_webhook_secrets() -> int:
    """Re-encrypt every endpoint's secret with the newest key, so older keys can go."""
    with transaction.atomic():
        endpoints = list(WebhookEndpoint.objects.select_for_update().order_by("pk"))
        for endpoint in endpoints:
            endpoint.secret_encrypted = encryption.rotate(endpoint.secret_encrypted)
        WebhookEndpoint.objects.bulk_update(endpoints, ["secret_encrypted"])
    return len(endpoints)


def delete_webhook(endpoint: WebhookEndpoint) -> None:
    """Deleting an endpoint deletes its delivery log; pending deliveries stop."""
    endpoint.delete()


def redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the event to the endpoint again, as a new logged delivery with the same event id."""
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event=delivery.event,
            redelivery_of=delivery.redelivery_of or delivery,
        )
        enqueue_after_commit(tasks.deliver_webhook, again.pk)
    return again
