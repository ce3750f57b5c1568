"""Reads of the events app: a person's notifications, webhook endpoints and their log."""

from django.db.models import Prefetch, QuerySet

from plaudit.people.models import User

from .models import Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """Only the person's own notifications, newest first (one query, no joins needed)."""
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return notifications.filter(read_at__isnull=True) if unread else notifications


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("id")


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first, each with its attempts (two queries per page)."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("log", queryset=WebhookAttempt.objects.order_by("attempted_at", "id"))
        )
        .order_by("-created_at", "-id")
    )
