"""The clock the demo's history runs on, and where in the last six months things happen.

While :func:`history_clock` is open, Django's ``timezone.now()`` (and so
``timezone.localdate()``, ``auto_now_add`` and every service's idea of the present) tells
the demo's time instead of the real one. Each service then decides at the moment it is
said to happen: the month whose giving allowance a kudos spends, whether a reward is out
yet, which day's birthdays are due, when a notification arrived. Every row is written
once, with its own time, as it would have been. The other way, stamping rows with past
times after the fact, would rewrite the append-only ledger's entries and check each
month's allowance against the month of seeding, not the month of the kudos.

Only ``timezone.now`` is replaced (no new dependency): Plaudit reads the time through it
everywhere. Fields whose default is bound to it at import (a user's ``date_joined``)
keep the real time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest import mock

from plaudit.core.calendar import company_now

HISTORY_MONTHS = 6  # this month and the five before it: the reports' six bars
WORKDAY_START = timedelta(hours=9)
WORKDAY = timedelta(hours=9)


class DemoClock:
    """A settable ``timezone.now``: it only moves forward, and never past the real now."""

    def __init__(self, start: datetime, *, latest: datetime) -> None:
        self.current = start
        self.latest = latest

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = max(self.current, min(moment, self.latest))


@contextmanager
def history_clock(start: datetime, *, latest: datetime) -> Iterator[DemoClock]:
    clock = DemoClock(start, latest=latest)
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


class Timeline:
    """The last six calendar months up to ``now``, months numbered -5 (oldest) to 0 (this one).

    A moment is a month and a fraction of it, so the same script lands in the same
    months whatever the date it is played on: a kudos' month decides whose allowance it
    spends, so ids, balances and counts do not depend on the day of seeding. In a past
    month the fraction picks a day and a time of its working hours; this month is cut
    short at ``now``.
    """

    def __init__(self, now: datetime) -> None:
        self.now = company_now(now)  # the company's months: they decide allowances
        first = self.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        starts = [first]
        for _ in range(HISTORY_MONTHS):  # one more: the end of the oldest month
            starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
        self.starts = starts[1:]  # month -5 .. month 0
        self.ends = [*starts[2:], self.now]

    def bounds(self, month: int) -> tuple[datetime, datetime]:
        index = month + HISTORY_MONTHS - 1
        return self.starts[index], self.ends[index]

    def at(self, month: int, fraction: float) -> datetime:
        """The moment ``fraction`` (0 to 1) of the way through ``month``'s working days."""
        start, end = self.bounds(month)
        days = (end - start).days
        if days < 1:  # the first day of this month: what there is of it
            return start + (end - start) * fraction
        day, part = divmod(fraction * days, 1)
        return start + timedelta(days=int(day)) + WORKDAY_START + WORKDAY * part

    def day_of(self, month: int, fraction: float) -> datetime:
        """The start of the day ``fraction`` of the way through ``month``."""
        return self.at(month, fraction).replace(hour=0, minute=0, second=0, microsecond=0)

    def days(self, month: int) -> Iterator[datetime]:
        """Each day of ``month`` (this one: up to today), at midnight."""
        start, end = self.bounds(month)
        day = start
        while day < end:
            yield day
            day += timedelta(days=1)

    def calendar_day(self, month: int, day: int) -> date:
        """Day ``day`` (1 to 28) of the month ``month`` months from this one (before: < 0)."""
        index = self.now.year * 12 + self.now.month - 1 + month
        return date(index // 12, index % 12 + 1, day)
