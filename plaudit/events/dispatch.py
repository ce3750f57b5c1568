"""Delivery of outbox events to their consumers.

Until consumers are registered this only marks nothing; the periodic sweep and
the consumers (notifications, email, WebSocket pushes, webhooks) build on it.
"""

from typing import Any


def schedule(event_id: Any) -> None:
    """Called on commit for each new event."""
    return None
