"""The transactional outbox: domain events recorded in the same transaction as the change."""

import uuid

from django.db import models


class EventType(models.TextChoices):
    RECOGNITION_CREATED = "recognition.created"
    REDEMPTION_CREATED = "redemption.created"
    REDEMPTION_APPROVED = "redemption.approved"
    REDEMPTION_REJECTED = "redemption.rejected"
    REDEMPTION_FULFILLED = "redemption.fulfilled"
    REDEMPTION_CANCELLED = "redemption.cancelled"
    POINTS_GRANTED = "points.granted"
    IMPORT_FINISHED = "import.finished"
    REWARD_LOW_STOCK = "reward.low_stock"


class OutboxEvent(models.Model):
    """One thing that happened, waiting to be delivered to every consumer at least once.

    ``id`` is the event id consumers de-duplicate on; ``key`` makes recording
    itself idempotent (the same business fact recorded twice is one event).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=50, choices=EventType.choices)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
