"""What a notification says: a title, a body and a link for each event type.

Events carry plain data (ids and the few names a message needs, captured when
the change happened), so a message reads the same later even if, say, the
reward is renamed.
"""

from dataclasses import dataclass

from plaudit.imports import wording

from .models import EventType
from .payloads import (
    EventData,
    ImportFinished,
    PointsGranted,
    RecognitionAddedOn,
    RecognitionCommented,
    RecognitionCreated,
    RecognitionReacted,
    RedemptionChanged,
    RewardLowStock,
)


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str


def _recognition_url(recognition: int) -> str:
    return f"/api/v1/recognitions/{recognition}/"


def describe(event_type: str, payload: EventData, user_id: int) -> Message:
    """The notification of a ``event_type`` event with ``payload`` for person ``user_id``."""
    match payload:
        case RecognitionCreated():
            points = next((a.points for a in payload.awards if a.user == user_id), 0)
            with_points = f" with {points} points" if points else ""
            return Message(
                f"{payload.giver_name or 'A colleague'} recognised you{with_points}",
                payload.message,
                _recognition_url(payload.recognition),
            )
        case RecognitionAddedOn():
            return Message(
                f"{payload.giver_name} added {payload.points} points to your recognition",
                payload.message,
                _recognition_url(payload.recognition),
            )
        case RecognitionCommented():
            return Message(
                f"{payload.author_name} commented on a recognition",
                payload.body,
                _recognition_url(payload.recognition),
            )
        case RecognitionReacted():
            return Message(
                f"{payload.user_name} reacted {payload.emoji} to a recognition",
                "",
                _recognition_url(payload.recognition),
            )
        case RedemptionChanged():
            return _redemption_message(event_type, payload)
        case PointsGranted():
            return Message(
                f"You received {payload.amount} points", payload.reason, "/api/v1/points/entries/"
            )
        case ImportFinished():
            return import_finished_message(payload)
        case RewardLowStock():
            return Message(
                f"{payload.reward_name} is running low",
                f"{payload.stock} left in stock.",
                f"/api/v1/rewards/{payload.reward}/",
            )
    return Message(event_type, "", "")


def import_finished_message(payload: ImportFinished) -> Message:
    """``Your employees import succeeded``: ``3 created, …``; a dry run says what would be."""
    dry_run = " (dry run)" if payload.dry_run else ""
    return Message(
        f"Your {wording.kind_name(payload.kind)} import{dry_run} {payload.status}",
        wording.outcome(
            dry_run=payload.dry_run,
            created=payload.created,
            updated=payload.updated,
            failed=payload.failed,
        ),
        f"/api/v1/imports/{payload.id}/",
    )


def _redemption_message(event_type: str, payload: RedemptionChanged) -> Message:
    reward, url = payload.reward_name, f"/api/v1/redemptions/{payload.redemption}/"
    match event_type:
        case EventType.REDEMPTION_CREATED:
            return Message(
                f"{payload.user_name or 'Someone'} redeemed {reward}",
                f"{payload.cost} points; waiting for approval.",
                url,
            )
        case EventType.REDEMPTION_APPROVED:
            return Message(
                f"Your redemption of {reward} was approved", "It will be fulfilled soon.", url
            )
        case EventType.REDEMPTION_REJECTED:
            reason = payload.reason or "No reason given."
            return Message(
                f"Your redemption of {reward} was rejected",
                f"{reason} Your {payload.cost} points are back in your balance.",
                url,
            )
        case EventType.REDEMPTION_FULFILLED:
            return Message(f"{reward} is on its way", "Your redemption was fulfilled.", url)
        case EventType.REDEMPTION_CANCELLED:
            return Message(
                f"{payload.user_name or 'Someone'} cancelled a redemption of {reward}", "", url
            )
    return Message(event_type, "", url)
