"""What a notification says: a title, a body and a link for each event type.

Written in the active language and time zone: the caller tells each person in theirs
(:func:`plaudit.people.locales.speaking_to`), since the title and body are stored as
they are written and read later, in the app and in emails.

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
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


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
            return Message(
                _recognised_you(payload, user_id),
                payload.message,
                _recognition_url(payload.recognition),
            )
        case RecognitionAddedOn():
            return Message(
                _("%(giver)s added %(points)s to your recognition")
                % {"giver": payload.giver_name, "points": points(payload.points)},
                payload.message,
                _recognition_url(payload.recognition),
            )
        case RecognitionCommented():
            return Message(
                _("%(author)s commented on a recognition") % {"author": payload.author_name},
                payload.body,
                _recognition_url(payload.recognition),
            )
        case RecognitionReacted():
            return Message(
                # Translators: "Ana reacted 🎉 to a recognition"; the emoji is the reaction.
                _("%(person)s reacted %(emoji)s to a recognition")
                % {"person": payload.user_name, "emoji": payload.emoji},
                "",
                _recognition_url(payload.recognition),
            )
        case RedemptionChanged():
            return _redemption_message(event_type, payload)
        case PointsGranted():
            return Message(
                _("You received %(points)s") % {"points": points(payload.amount)},
                payload.reason,
                reverse("web:points-history"),
            )
        case ImportFinished():
            return import_finished_message(payload)
        case RewardLowStock():
            return Message(
                _("%(reward)s is running low")
                % {"reward": _reward_name(payload.reward, payload.reward_name)},
                ngettext("%(count)s left in stock.", "%(count)s left in stock.", payload.stock)
                % {"count": number(payload.stock)},
                reverse("web:reward-edit", args=[payload.reward]),
            )
    return Message(event_type, "", "")


def _recognised_you(payload: RecognitionCreated, user_id: int) -> str:
    """Whole sentences: with or without points, by name or by "A colleague"."""
    mine = next((a.points for a in payload.awards if a.user == user_id), 0)
    giver = payload.giver_name
    if giver and mine:
        return _("%(giver)s recognised you with %(points)s") % {
            "giver": giver,
            "points": points(mine),
        }
    if giver:
        return _("%(giver)s recognised you") % {"giver": giver}
    if mine:
        return _("A colleague recognised you with %(points)s") % {"points": points(mine)}
    return _("A colleague recognised you")


# One whole sentence per kind, outcome and dry run: a translator may need to decline the
# kind or agree a verb with it, which a sentence assembled from the parts would forbid.
_IMPORT_FINISHED: dict[tuple[str, str, bool], "StrPromise"] = {
    ("employees", "succeeded", False): gettext_lazy("Your employees import succeeded"),
    ("employees", "succeeded", True): gettext_lazy("Your employees import (dry run) succeeded"),
    ("employees", "failed", False): gettext_lazy("Your employees import failed"),
    ("employees", "failed", True): gettext_lazy("Your employees import (dry run) failed"),
    ("rewards", "succeeded", False): gettext_lazy("Your reward catalog import succeeded"),
    ("rewards", "succeeded", True): gettext_lazy("Your reward catalog import (dry run) succeeded"),
    ("rewards", "failed", False): gettext_lazy("Your reward catalog import failed"),
    ("rewards", "failed", True): gettext_lazy("Your reward catalog import (dry run) failed"),
    ("reward_codes", "succeeded", False): gettext_lazy("Your reward codes import succeeded"),
    ("reward_codes", "succeeded", True): gettext_lazy(
        "Your reward codes import (dry run) succeeded"
    ),
    ("reward_codes", "failed", False): gettext_lazy("Your reward codes import failed"),
    ("reward_codes", "failed", True): gettext_lazy("Your reward codes import (dry run) failed"),
}


def import_finished_message(payload: ImportFinished) -> Message:
    """``Your employees import succeeded``: ``3 created, …``; a dry run says what would be."""
    title = _IMPORT_FINISHED.get((str(payload.kind), str(payload.status), payload.dry_run))
    return Message(
        str(title) if title is not None else _("Your import has finished"),
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
            title = (
                _("%(person)s redeemed %(reward)s")
                % {"person": payload.user_name, "reward": reward}
                if payload.user_name
                else _("Someone redeemed %(reward)s") % {"reward": reward}
            )
            return Message(
                title,
                # Translators: "1,200 points; waiting for approval."
                _("%(points)s; waiting for approval.") % {"points": points(payload.cost)},
                url,
            )
        case EventType.REDEMPTION_APPROVED:
            return Message(
                _("Your redemption of %(reward)s was approved") % {"reward": reward},
                _("It will be fulfilled soon."),
                url,
            )
        case EventType.REDEMPTION_REJECTED:
            reason = payload.reason or _("No reason given.")
            refunded = ngettext(
                "Your %(points)s is back in your balance.",
                "Your %(points)s are back in your balance.",
                payload.cost,
            ) % {"points": points(payload.cost)}
            return Message(
                _("Your redemption of %(reward)s was rejected") % {"reward": reward},
                # The reason (the approver's own words) and then the refund: two sentences.
                f"{reason} {refunded}",
                url,
            )
        case EventType.REDEMPTION_FULFILLED:
            return Message(
                _("%(reward)s is on its way") % {"reward": reward},
                _("Your redemption was fulfilled."),
                url,
            )
        case EventType.REDEMPTION_CANCELLED:
            title = (
                _("%(person)s cancelled a redemption of %(reward)s")
                % {"person": payload.user_name, "reward": reward}
                if payload.user_name
                else _("Someone cancelled a redemption of %(reward)s") % {"reward": reward}
            )
            return Message(title, "", url)
    return Message(event_type, "", url)
