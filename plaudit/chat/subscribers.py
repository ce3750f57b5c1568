"""Chat's outbox consumer: recognitions posted, redemptions told, reactions mirrored."""

from plaudit.core.after_commit import enqueue_after_commit
from plaudit.events.dispatch import event_consumer
from plaudit.events.models import OutboxEvent

from . import delivery, tasks


@event_consumer
def send_to_chat(event: OutboxEvent) -> None:
    """One chat delivery per (event, workspace, target), each sent after commit."""
    for created in delivery.queue_deliveries(event=event):
        enqueue_after_commit(tasks.send_chat_delivery, created.pk)
