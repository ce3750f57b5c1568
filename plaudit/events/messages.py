"""What a notification says: a title, a body and a link for each event type.

The link is the web page of what it is about (a person opens it from the app or an
email); API clients have the ids in the event's data. Events carry plain data (ids and
the few names a message needs, captured when the change happened), so a message reads
the same later even if, say, the reward is renamed; a reward's name is read in the
recipient's language where the company translated it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from plaudit.core.translated_content import text_in_language
from plaudit.core.wording import number, points
from plaudit.imports import wording
from plaudit.rewards.selectors import reward_translations

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


# Within one fan-out, each reward's translations are read once, whoever is told.
_READ_IN_THIS_FAN_OUT: ContextVar[dict[int, dict[str, Any]] | None] = ContextVar(
    "reward_translations_read", default=None
)


@contextmanager
def one_read_per_reward() -> Iterator[None]:
    """Describing one event for many people reads each reward's translations once."""
    token = _READ_IN_THIS_FAN_OUT.set({})
    try:
        yield
    finally:
        _READ_IN_THIS_FAN_OUT.reset(token)


def _reward_name(reward: int, captured: str) -> str:
    """The name the event captured (the company's text), in the active language where
    the company translated the reward: a notification reads in its recipient's language."""
    read = _READ_IN_THIS_FAN_OUT.get()
    translations = read.get(reward) if read is not None else None
    if translations is None:
        translations = reward_translations(reward)
        if read is not None:
            read[reward] = translations
    return text_in_language(translations, "name", captured)


def _recognition_url(recognition: int) -> str:
    return reverse("web:recognition", args=[recognition])


def describe(event_type: str, payload: EventData, user_id: int) -> Message:
    """The notification of a ``event_type`` event with ``payload`` for person ``user_id``."""
    match payload:
        case RecognitionCreated():
            mine = next((a.points for a in payload.awards if a.user == user_id), 0)
            with_points = f" with {points(mine)}" if mine else ""
            return Message(
                f"{payload.giver_name or 'A colleague'} recognised you{with_points}",
                payload.message,
                _recognition_url(payload.recognition),
            )
        case RecognitionAddedOn():
            return Message(
                f"{payload.giver_name} added {points(payload.points)} to your recognition",
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
                f"You received {points(payload.amount)}",
                payload.reason,
                reverse("web:points-history"),
            )
        case ImportFinished():
            return import_finished_message(payload)
        case RewardLowStock():
            return Message(
                f"{_reward_name(payload.reward, payload.reward_name)} is running low",
                f"{number(payload.stock)} left in stock.",
                reverse("web:reward-edit", args=[payload.reward]),
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
        reverse("web:import-job", args=[payload.id]),
    )


def _redemption_message(event_type: str, payload: RedemptionChanged) -> Message:
    reward = _reward_name(payload.reward, payload.reward_name)
    # Told to the approvers when made or cancelled, and to the redeemer when decided.
    to_approvers = event_type in (EventType.REDEMPTION_CREATED, EventType.REDEMPTION_CANCELLED)
    page = reverse("web:approvals" if to_approvers else "web:my-redemptions")
    url = f"{page}#redemption-{payload.redemption}"
    match event_type:
        case EventType.REDEMPTION_CREATED:
            return Message(
                f"{payload.user_name or 'Someone'} redeemed {reward}",
                f"{points(payload.cost)}; waiting for approval.",
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
                f"{reason} Your {points(payload.cost)} are back in your balance.",
                url,
            )
        case EventType.REDEMPTION_FULFILLED:
            return Message(f"{reward} is on its way", "Your redemption was fulfilled.", url)
        case EventType.REDEMPTION_CANCELLED:
            return Message(
                f"{payload.user_name or 'Someone'} cancelled a redemption of {reward}", "", url
            )
    return Message(event_type, "", url)
