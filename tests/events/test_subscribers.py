"""Each app's live consumer of outbox events reads only the events it handles."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from pydantic import ValidationError

from plaudit.events.models import EventType, OutboxEvent
from plaudit.imports.subscribers import push_import_progress
from plaudit.ledger.subscribers import push_new_balances
from plaudit.recognition.subscribers import update_open_feeds

# Each consumer, a type it handles and one it does not.
CONSUMERS = [
    (push_import_progress, EventType.IMPORT_PROGRESSED, EventType.REWARD_LOW_STOCK),
    (push_new_balances, EventType.POINTS_GRANTED, EventType.IMPORT_PROGRESSED),
    (update_open_feeds, EventType.RECOGNITION_REACTED, EventType.POINTS_GRANTED),
]


def unreadable(event_type: EventType) -> OutboxEvent:
    """An event whose payload does not read as its type's: reading it would raise."""
    return OutboxEvent(type=event_type, data={"unexpected": True}, created_at=timezone.now())


@pytest.mark.parametrize(("consume", "handled", "other"), CONSUMERS)
def test_a_consumer_returns_without_reading_an_event_type_it_does_not_handle(
    consume: Callable[[OutboxEvent], Any], handled: EventType, other: EventType
) -> None:
    assert consume(unreadable(other)) is None
    with pytest.raises(ValidationError):  # it does read the types it handles
        consume(unreadable(handled))
