"""Live notification pushes: one cache read finds who of an event's people has a page open."""

from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache

from plaudit.events import realtime
from plaudit.events.models import EventType, Notification
from tests.factories import UserFactory

from .payloads import low_stock

pytestmark = pytest.mark.django_db


def test_an_event_told_to_many_reads_the_open_sockets_once_and_pushes_to_those_open(
    publish: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    admins = UserFactory.create_batch(6)
    online = admins[:2]
    for person in online:
        realtime.socket_opened(person.pk)
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(realtime, "_send", lambda group, message: sent.append((group, message)))

    one_by_one = mock.Mock(wraps=realtime.has_open_socket)
    monkeypatch.setattr(realtime, "has_open_socket", one_by_one)

    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        publish(EventType.REWARD_LOW_STOCK, low_stock(admins))

    [read] = get_many.call_args_list  # one round trip for the six, whatever the cache
    assert sorted(read.args[0]) == sorted(f"ws:open:{person.pk}" for person in admins)
    assert one_by_one.call_count == 0
    assert Notification.objects.count() == 6
    assert sorted(group for group, _ in sent) == sorted(f"user.{p.pk}" for p in online)
    assert {message["type"] for _, message in sent} == {"notification"}
    assert {message["title"] for _, message in sent} == {"Mug is running low"}
