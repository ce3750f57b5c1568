"""Birthdays and work anniversaries: the company's own thank-you, once per occasion.

:func:`celebrate_occasions` runs every day (Celery beat) and catches up on the days it
missed; HR decides which occasions carry points (``CelebrationMilestone``, kept through
:func:`create_milestone` and its siblings at every door), which come from the company
reserve through the ledger like any grant.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plaudit.core.after_commit import run_after_commit
from plaudit.core.calendar import company_today
from plaudit.core.constraints import constraint_name, refusal_for
from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.core.services import check_fields, check_model_values
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.ledger.models import TransactionKind
from plaudit.ledger.services import balance_and_reserve, post_transaction
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .cache import invalidate_reports
from .models import Award, CelebrationMilestone, Occasion, Recognition, RecognitionKind
from .services import Gift, recognition_created


def _same_day_of_year(born: date, day: date) -> bool:
    """29 February is celebrated on 28 February in years without one."""
    if (born.month, born.day) == (day.month, day.day):
        return True
    is_leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    return (born.month, born.day) == (2, 29) and (day.month, day.day) == (2, 28) and not is_leap


def _milestone_points(occasion: Occasion, years: int | None) -> int | None:
    """Points for the occasion, or None when HR has not switched it on."""
    rows = {
        row.years: row.points
        for row in CelebrationMilestone.objects.filter(occasion=occasion).only("years", "points")
    }
    if years is not None and years in rows:
        return rows[years]
    return rows.get(None)


@dataclass(frozen=True)
class Celebration:
    person: User
    occasion: Occasion
    day: date
    years: int | None

    @property
    def key(self) -> str:
        return f"{self.occasion}:{self.person.pk}:{self.day.year}"

    @property
    def message(self) -> str:
        """The company's words on the feed, written once for everyone: in the company's
        language (``LANGUAGE_CODE``), whoever's request or worker runs the celebration."""
        name = self.person.first_name or str(self.person)
        with translation.override(settings.LANGUAGE_CODE):
            if self.occasion == Occasion.BIRTHDAY:
                return _("Happy birthday, %(name)s! 🎂") % {"name": name}
            years = self.years or 0
            return ngettext(
                "Happy %(count)s-year work anniversary, %(name)s! 🎉",
                "Happy %(count)s-year work anniversary, %(name)s! 🎉",
                years,
            ) % {"count": years, "name": name}


def _occasions_on(day: date) -> list[Celebration]:
    """Every birthday and work anniversary of an active person on ``day``."""
    found: list[Celebration] = []
    # A cheap pre-filter on the month; the exact day (and 29 February) is decided below.
    people = User.objects.filter(
        Q(birth_date__month=day.month) | Q(hire_date__month=day.month), is_active=True
    )
    for person in people.order_by("pk"):
        if person.birth_date and _same_day_of_year(person.birth_date, day):
            found.append(Celebration(person, Occasion.BIRTHDAY, day, None))
        if person.hire_date and _same_day_of_year(person.hire_date, day):
            years = day.year - person.hire_date.year
            if years >= 1:
                found.append(Celebration(person, Occasion.ANNIVERSARY, day, years))
    return found


def _celebrate(celebration: Celebration, points: int) -> Recognition | None:
    """One celebration, once: the occasion key is unique, so a second run finds it taken."""
    kind = (
        RecognitionKind.BIRTHDAY
        if celebration.occasion == Occasion.BIRTHDAY
        else RecognitionKind.ANNIVERSARY
    )
    person = celebration.person
    try:
        with transaction.atomic():
            message = celebration.message
            recognition = Recognition.objects.create(
                kind=kind, message=message, occasion=celebration.key
            )
            Award.objects.create(
                recognition=recognition,
                recipient=person,
                points=points,
                created_at=recognition.created_at,
            )
            if points:
                balance, reserve = balance_and_reserve(person)
                recognition.transaction = post_transaction(
                    kind=TransactionKind.CELEBRATION,
                    legs=[(reserve, -points), (balance, points)],
                    description=message,
                    reference=f"celebration:{celebration.key}",
                )
                recognition.save(update_fields=["transaction"])
            record_event(
                EventType.RECOGNITION_CREATED,
                recognition_created(recognition, [Gift(person, points)]),
                key=f"recognition:{recognition.pk}:created",
            )
    except IntegrityError:
        if Recognition.objects.filter(occasion=celebration.key).exists():
            return None  # celebrated already, by an earlier or a concurrent run
        raise
    return recognition


def celebrate_occasions(*, today: date | None = None, catch_up_days: int = 3) -> list[Recognition]:
    """Celebrate every birthday and work anniversary from ``catch_up_days`` ago to today.

    Safe to run any number of times and late: each occasion is celebrated at most
    once (``Recognition.occasion`` is unique). Occasions HR has not given a
    milestone (the default) are skipped. "Today" is the company's calendar day
    (:func:`~plaudit.core.calendar.company_today`), whatever zone the worker runs in.
    """
    today = today or company_today()
    celebrated: list[Recognition] = []
    for offset in range(catch_up_days - 1, -1, -1):
        for celebration in _occasions_on(today - timedelta(days=offset)):
            points = _milestone_points(celebration.occasion, celebration.years)
            if points is None:
                continue
            if Recognition.objects.filter(occasion=celebration.key).exists():
                continue
            if (recognition := _celebrate(celebration, points)) is not None:
                celebrated.append(recognition)
    if celebrated:
        run_after_commit(invalidate_reports)
    return celebrated


# --- HR's milestones ----------------------------------------------------------------------

MILESTONE_FIELDS = frozenset({"occasion", "years", "points"})
BIRTHDAY_HAS_NO_YEARS = gettext_lazy("A birthday milestone has no years.")
MILESTONE_TAKEN = gettext_lazy("This occasion already has a milestone for these years.")


def can_edit_milestones(actor: User | None) -> bool:
    """HR admins decide what the company gives; ``None`` is Plaudit itself (seed data)."""
    return actor is None or is_hr_admin(actor)


def check_can_edit_milestones(actor: User | None) -> None:
    if not can_edit_milestones(actor):
        raise NotAllowed(_("Only HR admins may change the celebration milestones."))


def check_milestone(
    values: dict[str, Any], *, milestone: CelebrationMilestone | None = None
) -> None:
    """The rules for a milestone as it would be stored (``values`` holds every field of
    ``MILESTONE_FIELDS``): each field's model bounds, a birthday has no years, and one
    milestone per occasion and years (one default, without years, per occasion)."""
    check_model_values(CelebrationMilestone, values)
    occasion, years = values["occasion"], values["years"]
    if occasion == Occasion.BIRTHDAY and years is not None:
        raise InvalidInput(BIRTHDAY_HAS_NO_YEARS, field="years")
    clash = CelebrationMilestone.objects.filter(occasion=occasion)
    clash = clash.filter(years=years) if years is not None else clash.filter(years__isnull=True)
    if milestone is not None and milestone.pk is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        raise InvalidInput(MILESTONE_TAKEN, field="years")


def _save_milestone(
    milestone: CelebrationMilestone, *, update_fields: list[str] | None = None
) -> None:
    """Under a savepoint: a constraint reached anyway (two saves at once) gets the check's words."""
    try:
        with transaction.atomic():
            milestone.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise _milestone_refusal(exc) from exc


def _milestone_refusal(exc: IntegrityError) -> DomainError:
    name = constraint_name(exc)
    if name in ("one_default_milestone_per_occasion", "one_milestone_per_occasion_and_years"):
        return InvalidInput(MILESTONE_TAKEN, field="years")
    if name == "birthday_milestone_has_no_years":
        return InvalidInput(BIRTHDAY_HAS_NO_YEARS, field="years")
    return refusal_for(exc, where="the celebration milestones")


def create_milestone(*, actor: User | None, **fields: Any) -> CelebrationMilestone:
    check_fields(fields, MILESTONE_FIELDS, kind="milestone")
    check_can_edit_milestones(actor)
    values = {"years": None, **fields}
    check_milestone(values)
    milestone = CelebrationMilestone(**values)
    _save_milestone(milestone)
    return milestone


def update_milestone(
    milestone: CelebrationMilestone, *, actor: User | None, **changes: Any
) -> CelebrationMilestone:
    """Change some fields; the rules judge the milestone as it would be."""
    check_fields(changes, MILESTONE_FIELDS, kind="milestone")
    check_can_edit_milestones(actor)
    stored = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    check_milestone({**stored, **changes}, milestone=milestone)
    for name, value in changes.items():
        setattr(milestone, name, value)
    _save_milestone(milestone, update_fields=[*changes, "updated_at"])
    return milestone


def delete_milestone(milestone: CelebrationMilestone, *, actor: User | None) -> None:
    """The occasion (or these years of it) is no longer celebrated with points."""
    check_can_edit_milestones(actor)
    milestone.delete()
