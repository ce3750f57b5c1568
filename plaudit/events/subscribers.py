"""The consumers of outbox events, each idempotent (see :mod:`plaudit.events.dispatch`)."""

from . import services
from .dispatch import event_consumer
from .models import OutboxEvent


@event_consumer
def notify_people(event: OutboxEvent) -> None:
    """In-app notifications, and from them WebSocket pushes and emails."""
    services.notify_recipients(event=event)


@event_consumer
def call_webhooks(event: OutboxEvent) -> None:
    """Signed POSTs to the other systems HR connected."""
    services.queue_webhook_deliveries(event=event)
