"""Commits share one queued drain of the outbox, and no event is left behind by it."""

from typing import Any

import pytest

from plaudit.events import dispatch
from plaudit.events.models import EventType, Notification, OutboxEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The drains sent to the broker, which holds them (no worker runs them)."""
    sent: list[Any] = []

    def send(task: Any, *args: Any) -> bool:
        sent.append(task.name)
        return True

    monkeypatch.setattr("plaudit.core.after_commit.enqueue", send)
    return sent


@pytest.mark.redis
def test_commits_while_a_drain_is_queued_share_it_and_it_delivers_them_all(publish, queued):
    alice = UserFactory()

    events = [publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": n}) for n in (1, 2)]

    assert queued == ["plaudit.events.tasks.drain_outbox"]
    assert dispatch.drain_outbox() == 2
    assert all(OutboxEvent.objects.get(pk=e.pk).dispatched_at is not None for e in events)
    assert Notification.objects.filter(user=alice).count() == 2
    # The drain has started: the next commit queues the next one.
    publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": 3})
    assert len(queued) == 2


def test_a_drain_delivers_in_batches_and_queues_itself_for_the_rest(publish, queued):
    alice = UserFactory()
    for n in range(5):
        publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": n})
    queued.clear()

    assert dispatch.drain_outbox(batch=3) == 3
    assert queued == ["plaudit.events.tasks.drain_outbox"]
    assert dispatch.drain_outbox(batch=3) == 2
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert Notification.objects.filter(user=alice).count() == 5


@pytest.mark.redis
def test_when_the_broker_refuses_a_drain_the_next_commit_asks_again_and_catches_up(
    publish, monkeypatch: pytest.MonkeyPatch
):
    alice = UserFactory()
    attempts: list[str] = []

    def broker_down(task: Any, *args: Any) -> bool:
        attempts.append(task.name)
        return False

    monkeypatch.setattr("plaudit.core.after_commit.enqueue", broker_down)
    missed = publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": 1})
    publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": 2})
    assert len(attempts) == 2  # the refused drain gave its claim back
    monkeypatch.undo()

    publish(EventType.POINTS_GRANTED, {"user": alice.pk, "amount": 3})  # runs inline

    missed.refresh_from_db()
    assert missed.dispatched_at is not None
    assert Notification.objects.filter(user=alice).count() == 3
