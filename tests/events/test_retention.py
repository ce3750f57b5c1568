"""Outbox retention: delivered events go after PLAUDIT_OUTBOX_RETENTION_DAYS, nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.core.encryption import encrypt
from plaudit.events import dispatch, tasks
from plaudit.events.models import (
    DeliveryStatus,
    EventType,
    Notification,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaudit.events.outbox import record_event
from tests.factories import UserFactory

from .payloads import points_granted

pytestmark = pytest.mark.django_db


def event(*, delivered_days_ago: float | None) -> OutboxEvent:
    """An event recorded (and, unless None, delivered) that many days ago."""
    recorded = record_event(EventType.POINTS_GRANTED, points_granted(UserFactory()))
    days = delivered_days_ago or 0
    OutboxEvent.objects.filter(pk=recorded.pk).update(
        created_at=timezone.now() - timedelta(days=days + 1),
        dispatched_at=None
        if delivered_days_ago is None
        else timezone.now() - timedelta(days=delivered_days_ago),
    )
    return recorded


def test_the_daily_purge_deletes_delivered_events_past_the_retention_and_nothing_else(
    settings,
) -> None:
    settings.PLAUDIT_OUTBOX_RETENTION_DAYS = 30
    expired = [event(delivered_days_ago=31) for _ in range(3)]
    recent = event(delivered_days_ago=29)
    undelivered = event(delivered_days_ago=None)
    OutboxEvent.objects.filter(pk=undelivered.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    still_retrying = event(delivered_days_ago=31)
    endpoint = WebhookEndpoint.objects.create(
        url="https://93.184.216.34/hooks", events=["points.granted"], secret_encrypted=encrypt("s")
    )
    WebhookDelivery.objects.create(endpoint=endpoint, event=still_retrying)
    WebhookDelivery.objects.create(
        endpoint=endpoint, event=expired[0], status=DeliveryStatus.SUCCEEDED
    )
    told = Notification.objects.create(
        user=UserFactory(), outbox_event=expired[1], event=EventType.POINTS_GRANTED, title="t"
    )

    assert tasks.purge_delivered_events() == 3

    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {
        recent.pk,
        undelivered.pk,
        still_retrying.pk,
    }
    assert list(WebhookDelivery.objects.values_list("event_id", flat=True)) == [still_retrying.pk]
    told.refresh_from_db()
    assert told.outbox_event is None  # the person's notification stays


def test_the_purge_works_in_batches_until_none_is_left() -> None:
    for _ in range(5):
        event(delivered_days_ago=40)

    assert dispatch.purge_delivered_events(older_than=timedelta(days=30), batch=2) == 5
    assert not OutboxEvent.objects.exists()


def test_a_retention_of_zero_keeps_every_event(settings) -> None:
    settings.PLAUDIT_OUTBOX_RETENTION_DAYS = 0
    event(delivered_days_ago=400)

    assert tasks.purge_delivered_events() == 0
    assert OutboxEvent.objects.count() == 1


def test_the_purge_runs_daily_on_beat(settings) -> None:
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.purge_delivered_events.name
    ]
    assert entry["schedule"] == timedelta(hours=24)
