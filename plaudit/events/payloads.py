"""What each event type carries: one typed payload per type, and so the webhook contract.

A payload is a pydantic model: :func:`~.outbox.record_event` validates it when the
event is recorded and stores its JSON as ``data``, which webhook receivers get as it
is; consumers read it back typed with :func:`payload_of`. The JSON Schema of each
type (:func:`data_schema`) is published in ``docs/webhooks.md``, and a test keeps the
page equal to what this module generates: so a class's docstring and its fields'
descriptions are the contract's words, written for the people who receive it.

Conventions every payload follows, so that one name has one shape everywhere:

- An object the event is about is named by its integer id under its own name
  (``redemption``, ``reward``, ``recognition``, ``comment``); a person likewise, under
  their role (``user``, ``giver``, ``author``, ``actor``), with their name as it was then
  in ``<role>_name``.
- ``recipients`` is always a list of person ids: the people told in the app. A type
  without it tells ``user``, if anyone.
- Times are RFC 3339 strings; amounts of points are integers.
"""

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import GenerateJsonSchema

from plaudit.imports.models import ImportKind, ImportStatus
from plaudit.recognition.models import RecognitionKind
from plaudit.rewards.models import RedemptionStatus

from .models import EventType, OutboxEvent

logger = logging.getLogger(__name__)

Recipients = Annotated[list[int], Field(description="The people told in the app.")]


class EventData(BaseModel):
    """The payload of one event type: exact (no other field) and immutable once made."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def people_to_notify(self) -> list[int]:
        """Who is told in the app (and by email, as they chose)."""
        return list(getattr(self, "recipients", []))

    def balances_moved(self) -> list[int]:
        """The people whose points balance this fact moved, for the live balance on
        their open pages; every use case that posts to a balance records an event that
        says so here."""
        return []


# --- Points -------------------------------------------------------------------------------


class PointsGranted(EventData):
    """HR gave a person points from the company reserve."""

    transaction: int
    user: int = Field(description="The person who received the points.")
    amount: int
    reason: str
    granted_by: int | None = Field(description="The HR admin, or null for the system.")

    def people_to_notify(self) -> list[int]:
        return [self.user]

    def balances_moved(self) -> list[int]:
        return [self.user]


# --- Rewards --------------------------------------------------------------------------------


class RedemptionChanged(EventData):
    """A redemption reached a status. The redeemer is told of decisions; whoever decides
    (their manager, else the HR admins) of new and cancelled requests."""

    # A new redemption has taken its cost from the balance; a rejected or cancelled one
    # has given it back.
    MOVES_THE_BALANCE: ClassVar[frozenset[str]] = frozenset({"pending", "rejected", "cancelled"})

    redemption: int
    reward: int
    reward_name: str
    cost: int
    status: RedemptionStatus = Field(description="The redemption's status after this change.")
    reason: str = Field(description="Why it was rejected; empty otherwise.")
    user: int = Field(description="The redeemer.")
    user_name: str
    actor: int = Field(description="Who made this change.")
    recipients: Recipients

    def balances_moved(self) -> list[int]:
        return [self.user] if self.status in self.MOVES_THE_BALANCE else []


class RewardLowStock(EventData):
    """A redemption took a reward's stock down to the threshold."""

    reward: int
    reward_name: str
    stock: int
    threshold: int
    recipients: list[int] = Field(description="The HR admins, who are told in the app.")


# --- Recognition ----------------------------------------------------------------------------


class AwardData(BaseModel):
    """One recipient of a recognition and the points they received (0 for a thank-you)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: int
    user_name: str
    points: int


class RecognitionCreated(EventData):
    """Kudos, or a birthday or work anniversary (which has no giver)."""

    recognition: int
    kind: RecognitionKind = Field(
        description="peer for kudos from a colleague; birthday or anniversary for a celebration."
    )
    giver: int | None = Field(description="Null for a celebration, which the company gives.")
    giver_name: str
    recipients: Recipients
    awards: list[AwardData]
    values: list[str] = Field(description="The slugs of the company values it names.")
    message: str
    created_at: datetime

    def balances_moved(self) -> list[int]:
        return [award.user for award in self.awards if award.points]


class RecognitionAddedOn(EventData):
    """Someone joined a recognition with points for each of its recipients."""

    recognition: int
    add_on: int
    giver: int
    giver_name: str
    points: int = Field(description="The points each recipient received.")
    recipients: Recipients
    message: str = Field(description="The recognition's message.")
    created_at: datetime

    def balances_moved(self) -> list[int]:
        return list(self.recipients)


class RecognitionCommented(EventData):
    """A comment on a recognition; its giver and recipients (not the author) are told."""

    recognition: int
    comment: int
    author: int
    author_name: str
    recipients: Recipients
    body: str
    created_at: datetime


class RecognitionCommentDeleted(EventData):
    """A comment on a recognition was deleted; nobody is told."""

    recognition: int
    comment: int
    author: int


class RecognitionReacted(EventData):
    """A reaction to a recognition; its giver and recipients (not who reacted) are told."""

    recognition: int
    reaction: int
    user: int = Field(description="Who reacted.")
    user_name: str
    emoji: str
    recipients: Recipients
    created_at: datetime


class RecognitionReactionRemoved(EventData):
    """Someone took their reaction to a recognition back; nobody is told."""

    recognition: int
    user: int
    emoji: str


# --- Imports --------------------------------------------------------------------------------


class ImportProgressed(EventData):
    """A running CSV import job committed more of its work: at its start, then at most
    about once a second. Nobody is told in the app; the uploader's open pages follow it."""

    id: int = Field(description="The import job.")
    kind: ImportKind
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    failed: int
    user: int | None = Field(description="Who started the import.")


class ImportFinished(EventData):
    """A CSV import job ended; the person who started it is told."""

    id: int = Field(description="The import job.")
    kind: ImportKind
    status: ImportStatus
    dry_run: bool
    total_rows: int
    created: int
    updated: int
    failed: int
    user: int | None = Field(description="Who started the import.")

    def people_to_notify(self) -> list[int]:
        return [self.user] if self.user is not None else []


PAYLOADS: dict[EventType, type[EventData]] = {
    EventType.RECOGNITION_CREATED: RecognitionCreated,
    EventType.RECOGNITION_ADDED_ON: RecognitionAddedOn,
    EventType.RECOGNITION_COMMENTED: RecognitionCommented,
    EventType.RECOGNITION_COMMENT_DELETED: RecognitionCommentDeleted,
    EventType.RECOGNITION_REACTED: RecognitionReacted,
    EventType.RECOGNITION_REACTION_REMOVED: RecognitionReactionRemoved,
    EventType.REDEMPTION_CREATED: RedemptionChanged,
    EventType.REDEMPTION_APPROVED: RedemptionChanged,
    EventType.REDEMPTION_REJECTED: RedemptionChanged,
    EventType.REDEMPTION_FULFILLED: RedemptionChanged,
    EventType.REDEMPTION_CANCELLED: RedemptionChanged,
    EventType.POINTS_GRANTED: PointsGranted,
    EventType.IMPORT_PROGRESSED: ImportProgressed,
    EventType.IMPORT_FINISHED: ImportFinished,
    EventType.REWARD_LOW_STOCK: RewardLowStock,
}


def validated(event_type: EventType, data: EventData | Mapping[str, Any]) -> EventData:
    """``data`` as the payload ``event_type`` carries; raises if it is not that payload.

    JSON (a mapping) is validated into the type's model, so a caller that holds JSON
    gets the same check as one that built the model.
    """
    model = PAYLOADS[EventType(event_type)]
    if not isinstance(data, EventData):
        return model.model_validate(data)
    if not isinstance(data, model):
        raise TypeError(
            f"A {event_type} event carries {model.__name__}, not {data.__class__.__name__}."
        )
    return data


def payload_of(event: OutboxEvent) -> EventData:
    """The event's payload, typed, as its consumers read it."""
    model = PAYLOADS[EventType(event.type)]
    try:
        return model.model_validate(event.data)
    except ValidationError:
        if event.type not in _RESHAPED:
            raise
        return model.model_validate(_reshaped(event.type, event.data))


class _ContractSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema without a title per field: the field's name says it."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def data_schema(event_type: EventType) -> dict[str, Any]:
    """The JSON Schema of ``data`` in an ``event_type`` event, as docs/webhooks.md has it."""
    return PAYLOADS[event_type].model_json_schema(
        mode="serialization", schema_generator=_ContractSchema
    )


class WebhookBody(BaseModel):
    """The JSON body of every webhook delivery: data is the payload of the event's type."""

    id: UUID = Field(description="The event's id: the same on every retry and redelivery.")
    type: EventType
    created_at: datetime = Field(description="When the event was recorded.")
    data: dict[str, Any]


# The shapes docs/webhooks.md publishes, named by the date of their latest change (its
# "Changes"); a delivery says which it holds in its Plaudit-Data-Version header.
DATA_VERSION = "2026-12-07"
# A payload that no longer reads as its type's (nor upgrades to it) goes as it was recorded.
AS_RECORDED = "as-recorded"


def webhook_body(event: OutboxEvent) -> tuple[WebhookBody, str]:
    """The body a delivery of ``event`` posts, and the version of its ``data``.

    ``data`` is the typed payload, so it matches the published schema: an event recorded
    in an earlier shape is read in today's (:func:`payload_of`). One that still does not
    read is delivered as it was stored, marked :data:`AS_RECORDED` and logged, rather
    than failing its delivery for good or being dropped.
    """
    try:
        data, version = payload_of(event).model_dump(mode="json"), DATA_VERSION
    except Exception:  # any shape at all: a half-upgraded one can fail in any way
        logger.warning(
            "Event %s (%s) does not read as today's payload; delivered as recorded",
            event.pk,
            event.type,
            exc_info=True,
        )
        data, version = dict(event.data), AS_RECORDED
    if event.type not in EventType.values:  # a type this release no longer knows: its name
        unknown = WebhookBody.model_construct(
            id=event.pk, type=event.type, created_at=event.created_at, data=data
        )
        return unknown, AS_RECORDED
    body = WebhookBody(
        id=event.pk, type=EventType(event.type), created_at=event.created_at, data=data
    )
    return body, version


def body_schema() -> dict[str, Any]:
    """The JSON Schema of a webhook delivery's body, as published in docs/webhooks.md."""
    return WebhookBody.model_json_schema(mode="serialization", schema_generator=_ContractSchema)


# --- Events recorded before typed payloads ---------------------------------------------------
# Until every process runs this release (a rolling upgrade), an older one may still record
# these types in their earlier shape; consumers read them in today's. Remove with the
# next release.

_RESHAPED = {
    EventType.RECOGNITION_CREATED,
    EventType.RECOGNITION_ADDED_ON,
    EventType.RECOGNITION_COMMENTED,
    EventType.RECOGNITION_REACTED,
}


def _reshaped(event_type: str, recorded: dict[str, Any]) -> dict[str, Any]:
    """The earlier shape in today's: no ``title``; ``recipients`` as ids (their points
    in ``awards``); a comment's text in ``body``; who reacted in ``user``."""
    data = {name: value for name, value in recorded.items() if name != "title"}
    if event_type == EventType.RECOGNITION_CREATED:
        awards = data.pop("recipients", [])
        data["recipients"] = [award["user"] for award in awards]
        data["awards"] = [
            {"user": award["user"], "user_name": award.get("name", ""), "points": award["points"]}
            for award in awards
        ]
    elif event_type == EventType.RECOGNITION_COMMENTED:
        data["body"] = data.pop("message", "")
    elif event_type == EventType.RECOGNITION_REACTED:
        data["user"] = data.pop("user_id", None)
        data.pop("message", None)
    return data
