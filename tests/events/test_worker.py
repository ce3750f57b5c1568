"""A real Celery worker process against a real broker (RabbitMQ or Redis) and PostgreSQL.

The worker runs on its own queue (so other workers on the same broker never take
these tasks) against this run's test database. CI sets PLAUDIT_TEST_BROKER_URL.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu import pools as kombu_pools

from config.celery import app
from plaudit.core.encryption import encrypt
from plaudit.events import dispatch
from plaudit.events.models import (
    EventType,
    Notification,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaudit.events.outbox import record_event
from tests.factories import UserFactory

BROKER_URL = os.environ.get("PLAUDIT_TEST_BROKER_URL", "")
UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1//"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def point_celery_at(broker_url: str, *, queue: str, eager: bool = False) -> None:
    """Reconfigure this process's Celery app and drop its pooled broker connections."""
    app.conf.update(broker_url=broker_url, task_always_eager=eager, task_default_queue=queue)
    kombu_pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)  # routing and producers rebuilt from the new settings


def wait_for(condition: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture(scope="module")
def worker(django_db_setup: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if connection.vendor != "postgresql" or not BROKER_URL:
        pytest.skip("needs PostgreSQL and PLAUDIT_TEST_BROKER_URL")
    queue = f"plaudit-test-{uuid.uuid4().hex[:10]}"
    name = f"{queue}@%h"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    point_celery_at(BROKER_URL, queue=queue)
    try:
        wait_for(lambda: app.control.ping(timeout=0.5) or process.poll() is not None, timeout=60)
        assert process.poll() is None, Path(log).read_text()
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        point_celery_at(
            saved["broker_url"], queue=saved["task_default_queue"], eager=saved["task_always_eager"]
        )


def delivered(event: OutboxEvent) -> bool:
    event.refresh_from_db()
    return event.dispatched_at is not None


def test_the_worker_delivers_an_event_once_to_each_consumer(worker, receiver):
    alice = UserFactory()
    WebhookEndpoint.objects.create(
        url=receiver.url, events=["points.granted"], secret_encrypted=encrypt("s")
    )

    with transaction.atomic():
        event = record_event(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": 9})
    wait_for(lambda: delivered(event) and receiver.requests)
    # Delivered again (a redelivered message, a sweep racing the trigger): no second effect.
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    dispatch.schedule(event.pk)
    dispatch.schedule(event.pk)
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
                record_event(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": n})
                for n in (1, 2, 3)
            ]
    finally:
        point_celery_at(BROKER_URL, queue=worker)
    time.sleep(1)
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 3
    assert not Notification.objects.filter(user=alice).exists()

    assert dispatch.sweep_outbox(older_than=timedelta(0)) == 3

    wait_for(lambda: all(delivered(event) for event in events))
    assert Notification.objects.filter(user=alice).count() == 3
