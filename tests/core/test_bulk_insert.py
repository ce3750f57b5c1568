"""insert_rows writes what bulk_create would: on PostgreSQL its COPY makes each row's
defaults itself, so a callable default is called for each row and ``auto_now_add``
is the moment of the insert, not NULL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.core.bulk_insert import insert_rows
from plaudit.events.models import EventType, OutboxEvent

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_callable_default_and_the_insert_time():
    before = timezone.now()

    insert_rows(
        OutboxEvent,
        [
            {"type": EventType.IMPORT_FINISHED, "key": "bulk:1"},
            {"type": EventType.IMPORT_FINISHED, "key": "bulk:2", "data": {"id": 2}},
        ],
    )

    events = list(OutboxEvent.objects.filter(key__startswith="bulk:").order_by("key"))
    assert len({event.pk for event in events}) == 2  # uuid4 called for each row
    assert [event.data for event in events] == [{}, {"id": 2}]
    assert all(before <= event.created_at <= timezone.now() for event in events)


def test_an_auto_now_add_field_is_the_insert_time_whatever_the_row_says():
    """As bulk_create's pre_save does: the row cannot backdate it."""
    long_ago = timezone.now() - timedelta(days=365)

    insert_rows(
        OutboxEvent,
        [{"type": EventType.IMPORT_FINISHED, "key": "bulk:old", "created_at": long_ago}],
    )

    assert OutboxEvent.objects.get(key="bulk:old").created_at > long_ago + timedelta(days=364)
