"""The company's calendar: which day, month and year it is for allowances, boards and reports.

"This month" is the company's calendar month in the company's time zone
(``settings.TIME_ZONE``), whatever the server's, the database's or the reader's time zone
and whatever zone is active for the request: a kudos given at 23:30 on 31 January in
Auckland spends January's allowance and counts on January's board, though it is already
February in UTC, and a person reading in Los Angeles sees the same month. A person's own
time zone (``User.time_zone``) changes only how times are shown to them.

Every month, quarter or year boundary and every "today" that decides something goes
through here. Bounds are aware datetimes in the company's zone, so a query compares
instants (the same on SQLite and PostgreSQL); a query that groups by month passes
:func:`company_zone` to ``TruncMonth(..., tzinfo=...)``.
"""

from datetime import date, datetime, tzinfo

from django.utils import timezone


def company_zone() -> tzinfo:
    """The company's time zone, ``settings.TIME_ZONE`` (never the one active for a request)."""
    return timezone.get_default_timezone()


def company_now(now: datetime | None = None) -> datetime:
    """``now`` (default: the present) as the company's wall clock reads it."""
    return timezone.localtime(now or timezone.now(), company_zone())


def company_today(now: datetime | None = None) -> date:
    """The company's calendar day: the "today" of birthdays and work anniversaries."""
    return company_now(now).date()


def start_of_day(day: date) -> datetime:
    """Midnight starting ``day`` in the company's zone (an aware datetime)."""
    return datetime(day.year, day.month, day.day, tzinfo=company_zone())


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before, when negative) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(day: date) -> tuple[datetime, datetime]:
    """The company's calendar month holding ``day``: ``[start, end)`` as aware datetimes."""
    first = day.replace(day=1)
    return start_of_day(first), start_of_day(_add_months(first, 1))


def quarter_bounds(day: date) -> tuple[datetime, datetime]:
    """The calendar quarter (January to March, ...) holding ``day``, as :func:`month_bounds`."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return start_of_day(first), start_of_day(_add_months(first, 3))


def year_bounds(day: date) -> tuple[datetime, datetime]:
    """The calendar year holding ``day``, as :func:`month_bounds`."""
    return start_of_day(date(day.year, 1, 1)), start_of_day(date(day.year + 1, 1, 1))


def this_month(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The company's current calendar month: what a monthly allowance and board count."""
    return month_bounds(company_today(now))


def this_quarter(now: datetime | None = None) -> tuple[datetime, datetime]:
    return quarter_bounds(company_today(now))


def this_year(now: datetime | None = None) -> tuple[datetime, datetime]:
    return year_bounds(company_today(now))


def month_of(moment: datetime) -> date:
    """The first day of the company's month that ``moment`` falls in."""
    return company_today(moment).replace(day=1)


def months_back(count: int, now: datetime | None = None) -> list[date]:
    """The first day of this company month and the ``count - 1`` before it, oldest first."""
    this = company_today(now).replace(day=1)
    return [_add_months(this, -back) for back in range(count - 1, -1, -1)]
