"""A real Celery worker process against a real broker (RabbitMQ or Redis) and PostgreSQL.

The worker runs on its own queue (so other workers on the same broker never take
these tasks) against this run's test database. CI sets PLAUDIT_TEST_BROKER_URL.
"""

import time
from collections.abc import Iterator

import pytest
from django.db import transaction

from plaudit.core.after_commit import enqueue
from plaudit.core.encryption import encrypt
from plaudit.events import tasks
from plaudit.events.models import (
    EventType,
    Notification,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaudit.events.outbox import record_event
from tests.celery_worker import BROKER_URL, point_celery_at, running_worker, wait_for
from tests.factories import UserFactory

from .payloads import points_granted

UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1//"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def worker(django_db_setup: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_worker(tmp_path_factory.mktemp("worker") / "worker.log") as running:
        yield running.queue


def delivered(event: OutboxEvent) -> bool:
    event.refresh_from_db()
    return event.dispatched_at is not None


def test_the_worker_delivers_an_event_once_to_each_consumer(worker, receiver):
    alice = UserFactory()
    WebhookEndpoint.objects.create(
        url=receiver.url, events=["points.granted"], secret_encrypted=encrypt("s")
    )

    with transaction.atomic():
        event = record_event(EventType.POINTS_GRANTED, points_granted(alice, amount=9))
    wait_for(lambda: delivered(event) and receiver.requests)
    # Delivered again (a redelivered message, a sweep racing the trigger): no second effect.
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    enqueue(tasks.dispatch_event, str(event.pk))
    enqueue(tasks.dispatch_event, str(event.pk))
    wait_for(lambda: delivered(event))
    time.sleep(1)

    assert Notification.objects.filter(user=alice, outbox_event=event).count() == 1
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert len(receiver.requests) == 1


def test_events_recorded_while_the_broker_is_down_go_out_after_it_returns(worker):
    alice = UserFactory()
    point_celery_at(UNREACHABLE_BROKER, queue=worker)
    try:
        with transaction.atomic():  # the change commits; queueing its delivery fails
            events = [
                record_event(EventType.POINTS_GRANTED, points_granted(alice, amount=n))
                for n in (1, 2, 3)
            ]
    finally:
        point_celery_at(BROKER_URL, queue=worker)
    time.sleep(1)
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 3
    assert not Notification.objects.filter(user=alice).exists()

    assert tasks.sweep_outbox(older_than_seconds=0) == 3

    wait_for(lambda: all(delivered(event) for event in events))
    assert Notification.objects.filter(user=alice).count() == 3
