"""The webhook contract: each event type's payload, its published JSON Schema, the body.

docs/webhooks.md publishes the schemas; these tests keep the page equal to what the
code generates, so it cannot drift. (tests/conftest.py checks every event the suite
records against the same schemas.)
"""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from plaudit.events import webhooks
from plaudit.events.dispatch import deliver_all_pending
from plaudit.events.messages import describe
from plaudit.events.models import (
    DeliveryStatus,
    EventType,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaudit.events.outbox import record_event
from plaudit.events.payloads import (
    AS_RECORDED,
    DATA_VERSION,
    PAYLOADS,
    RecognitionCreated,
    body_schema,
    data_schema,
    payload_of,
)
from plaudit.events.services import register_webhook
from plaudit.imports.models import ImportKind, ImportStatus
from plaudit.recognition.models import RecognitionKind
from plaudit.rewards.models import RedemptionStatus
from tests.factories import UserFactory

from .conftest import Receiver
from .payloads import low_stock, points_granted

PAGE = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
SECTION = re.compile(r"^### (?P<heading>.+?)\n(?P<text>.*?)(?=^##)", re.S | re.M)
JSON_BLOCK = re.compile(r"^```json\n(?P<json>.*?)^```", re.S | re.M)


def published() -> dict[str, dict]:
    """Each ``###`` heading's backticked names (event types, or "body") → its JSON block."""
    schemas = {}
    for section in SECTION.finditer(PAGE.read_text() + "\n##"):
        block = JSON_BLOCK.search(section["text"])
        if block is None:
            continue
        for name in re.findall(r"`([^`]+)`", section["heading"]):
            schemas[name] = json.loads(block["json"])
    return schemas


def as_published(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False)


def test_every_event_type_has_a_typed_payload() -> None:
    assert set(PAYLOADS) == set(EventType)


@pytest.mark.parametrize("event_type", EventType)
def test_the_page_publishes_the_schema_the_code_generates_for_each_event_type(
    event_type: EventType,
) -> None:
    expected = data_schema(event_type)

    assert published().get(event_type) == expected, (
        f"docs/webhooks.md: under a heading naming `{event_type}`, publish\n"
        f"```json\n{as_published(expected)}\n```"
    )


def test_the_page_publishes_the_body_schema_and_no_type_the_code_does_not_know() -> None:
    schemas = published()

    assert schemas.get("body") == body_schema(), as_published(body_schema())
    assert set(schemas) - {"body"} <= set(EventType)


def test_the_data_version_deliveries_carry_is_a_dated_entry_of_the_pages_changes() -> None:
    changes = PAGE.read_text().split("\n## Changes\n", 1)

    assert len(changes) == 2, "docs/webhooks.md has no '## Changes' section"
    assert f"\n### {DATA_VERSION}\n" in changes[1]


@pytest.mark.django_db
def test_every_time_in_a_delivery_is_utc_with_a_z_as_the_page_says() -> None:
    event = record_event(EventType.POINTS_GRANTED, points_granted(UserFactory()))
    OutboxEvent.objects.filter(pk=event.pk).update(created_at="2025-01-02T10:00:00+00:00")
    event.refresh_from_db()

    body = json.loads(webhooks.payload(event)[0])

    assert body["created_at"] == "2025-01-02T10:00:00Z"
    assert "`2025-01-02T10:00:00Z`" in PAGE.read_text()


KIND_AND_STATUS_FIELDS = [
    (EventType.RECOGNITION_CREATED, "kind", RecognitionKind),
    (EventType.REDEMPTION_APPROVED, "status", RedemptionStatus),
    (EventType.IMPORT_PROGRESSED, "kind", ImportKind),
    (EventType.IMPORT_PROGRESSED, "status", ImportStatus),
    (EventType.IMPORT_FINISHED, "kind", ImportKind),
    (EventType.IMPORT_FINISHED, "status", ImportStatus),
]


@pytest.mark.parametrize(("event_type", "field", "choices"), KIND_AND_STATUS_FIELDS)
def test_a_kind_or_status_field_publishes_its_allowed_values_and_refuses_others(
    event_type: EventType, field: str, choices: type[TextChoices]
) -> None:
    schema = published()[event_type]
    reference = schema["properties"][field]["$ref"].removeprefix("#/$defs/")

    assert schema["$defs"][reference]["enum"] == list(choices.values)
    with pytest.raises(ValidationError, match=field):
        PAYLOADS[event_type].model_validate({field: "lost"})


@pytest.mark.django_db
def test_a_delivery_body_matches_the_published_body_and_its_types_payload() -> None:
    event = record_event(EventType.POINTS_GRANTED, points_granted(UserFactory()))

    body, version = webhooks.payload(event)
    body = json.loads(body)

    assert version == DATA_VERSION

    Draft202012Validator(body_schema()).validate(body)
    Draft202012Validator(data_schema(EventType(body["type"]))).validate(body["data"])


@pytest.mark.django_db
def test_a_payload_that_is_not_its_types_is_refused_and_the_change_rolls_back() -> None:
    person = UserFactory()

    def rename_and_record(data: dict) -> None:
        with transaction.atomic():
            person.first_name = "Changed"
            person.save()
            record_event(EventType.POINTS_GRANTED, data)

    with pytest.raises(TypeError, match=r"points\.granted event carries PointsGranted"):
        record_event(EventType.POINTS_GRANTED, low_stock([person]))
    with pytest.raises(ValidationError):
        rename_and_record({"user": person.pk, "amount": "many"})

    person.refresh_from_db()
    assert person.first_name != "Changed"
    assert not OutboxEvent.objects.exists()


OLDER_SHAPES = {
    EventType.RECOGNITION_CREATED: (
        {
            "recognition": 7,
            "kind": "peer",
            "giver": 1,
            "giver_name": "Carol",
            "recipients": [{"user": 2, "name": "Ana", "points": 20}],
            "values": [],
            "message": "Great launch!",
            "created_at": "2025-01-02T10:00:00+00:00",
        },
        "Carol recognised you with 20 points",
    ),
    EventType.RECOGNITION_ADDED_ON: (
        {
            "recognition": 7,
            "add_on": 3,
            "giver": 4,
            "giver_name": "Dan",
            "points": 5,
            "recipients": [2],
            "title": "Dan added 5 points to your recognition",
            "message": "Great launch!",
            "created_at": "2025-01-02T10:00:00+00:00",
        },
        "Dan added 5 points to your recognition",
    ),
    EventType.RECOGNITION_COMMENTED: (
        {
            "recognition": 7,
            "comment": 9,
            "author": 4,
            "author_name": "Dan",
            "recipients": [2],
            "title": "Dan commented on a recognition",
            "message": "Well deserved",
            "created_at": "2025-01-02T10:00:00+00:00",
        },
        "Dan commented on a recognition",
    ),
    EventType.RECOGNITION_REACTED: (
        {
            "recognition": 7,
            "reaction": 9,
            "user_id": 4,
            "user_name": "Dan",
            "emoji": "🎉",
            "recipients": [2],
            "title": "Dan reacted 🎉 to a recognition",
            "message": "",
            "created_at": "2025-01-02T10:00:00+00:00",
        },
        "Dan reacted 🎉 to a recognition",
    ),
}


@pytest.mark.parametrize("event_type", OLDER_SHAPES)
def test_an_event_recorded_in_its_earlier_shape_is_read_in_todays(event_type: EventType) -> None:
    """During a rolling upgrade a process of the release before may still record these."""
    data, title = OLDER_SHAPES[event_type]
    event = OutboxEvent(type=event_type, data=data, created_at=timezone.now())

    payload = payload_of(event)

    assert payload.people_to_notify() == [2]
    assert describe(event_type, payload, 2).title == title
    if isinstance(payload, RecognitionCreated):
        assert payload.balances_moved() == [2]


# --- Delivering an event recorded in an earlier shape ----------------------------------------


def stored_as_an_earlier_release_did(event_type: EventType, data: dict) -> OutboxEvent:
    """A row written before today's payloads: straight into the table, unvalidated."""
    [event] = OutboxEvent.objects.bulk_create(
        [OutboxEvent(type=event_type, data=data, created_at=timezone.now())]
    )
    event.refresh_from_db()
    return event


@pytest.fixture
def endpoint_for(hr_admin: Any, local_webhooks_allowed: None) -> Callable[..., WebhookEndpoint]:
    def endpoint_for(url: str, event_type: EventType) -> WebhookEndpoint:
        return register_webhook(url=url, events=[event_type], secret="s", created_by=hr_admin)

    return endpoint_for


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("event_type", OLDER_SHAPES)
def test_an_event_stored_in_its_earlier_shape_is_delivered_in_the_published_one(
    event_type: EventType, endpoint_for: Callable[..., WebhookEndpoint], receiver: Receiver
) -> None:
    endpoint_for(receiver.url, event_type)
    event = stored_as_an_earlier_release_did(event_type, OLDER_SHAPES[event_type][0])

    deliver_all_pending()

    [request] = receiver.requests
    body = json.loads(request.body)
    Draft202012Validator(body_schema()).validate(body)
    Draft202012Validator(data_schema(event_type)).validate(body["data"])
    assert body["id"] == str(event.pk)
    assert body["data"]["recipients"] == [2]
    assert request.headers["Plaudit-Data-Version"] == DATA_VERSION
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_stored_payload_that_no_longer_reads_is_delivered_as_recorded_and_marked(
    endpoint_for: Callable[..., WebhookEndpoint], receiver: Receiver, caplog: Any
) -> None:
    endpoint_for(receiver.url, EventType.REWARD_LOW_STOCK)
    recorded = {"reward": 1, "name": "Mug", "left": 1}
    event = stored_as_an_earlier_release_did(EventType.REWARD_LOW_STOCK, recorded)

    deliver_all_pending()

    [request] = receiver.requests
    body = json.loads(request.body)
    Draft202012Validator(body_schema()).validate(body)
    assert body["data"] == recorded
    assert request.headers["Plaudit-Data-Version"] == AS_RECORDED
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert f"Event {event.pk} (reward.low_stock) does not read" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_half_upgraded_payload_that_breaks_the_upgrade_is_still_delivered_as_recorded(
    endpoint_for: Callable[..., WebhookEndpoint], receiver: Receiver
) -> None:
    endpoint_for(receiver.url, EventType.RECOGNITION_CREATED)
    # Recipients already as ids, but no awards: reading them as earlier awards fails.
    recorded = {"recognition": 1, "giver": 2, "recipients": [3, 4], "title": "x"}
    stored_as_an_earlier_release_did(EventType.RECOGNITION_CREATED, recorded)

    deliver_all_pending()

    [request] = receiver.requests
    assert json.loads(request.body)["data"] == recorded
    assert request.headers["Plaudit-Data-Version"] == AS_RECORDED
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
