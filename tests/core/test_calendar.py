"""The company's calendar: "this month" is the company's month in the company's time zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from plaudit.core import calendar

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in summer (January), +12 in winter
LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # UTC-8 in winter, -7 in summer


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two moments (Python subtracts same-zone datetimes by the wall clock)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


@pytest.fixture
def in_los_angeles(settings):
    settings.TIME_ZONE = "America/Los_Angeles"


@pytest.fixture
def in_auckland(settings):
    settings.TIME_ZONE = "Pacific/Auckland"


def test_late_on_31_january_in_los_angeles_is_january_though_utc_says_february(in_los_angeles):
    moment = datetime(2027, 1, 31, 23, 30, tzinfo=LOS_ANGELES)
    assert moment.astimezone(UTC).month == 2

    start, end = calendar.this_month(moment)

    assert calendar.month_of(moment) == date(2027, 1, 1)
    assert start == datetime(2027, 1, 1, tzinfo=LOS_ANGELES)
    assert end == datetime(2027, 2, 1, tzinfo=LOS_ANGELES)
    assert start <= moment < end


def test_early_on_1_february_in_auckland_is_february_though_utc_says_january(in_auckland):
    moment = datetime(2027, 2, 1, 0, 30, tzinfo=AUCKLAND)
    assert moment.astimezone(UTC).month == 1

    start, end = calendar.this_month(moment)

    assert calendar.month_of(moment) == date(2027, 2, 1)
    assert start == utc(2027, 1, 31, 11)  # midnight, 1 February, at UTC+13
    assert end == datetime(2027, 3, 1, tzinfo=AUCKLAND)


@pytest.mark.parametrize("active", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_zone_active_for_a_reader_does_not_change_which_month_it_is(in_los_angeles, active):
    moment = utc(2027, 2, 1, 7, 30)  # 23:30 on 31 January in Los Angeles

    with timezone.override(ZoneInfo(active)):
        assert calendar.company_today(moment) == date(2027, 1, 31)
        assert calendar.this_month(moment)[0] == datetime(2027, 1, 1, tzinfo=LOS_ANGELES)
        assert calendar.this_year(moment)[0] == datetime(2027, 1, 1, tzinfo=LOS_ANGELES)


def test_the_present_is_read_from_djangos_clock(in_auckland, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: utc(2027, 1, 31, 11, 30))  # 00:30, 1 Feb

    assert calendar.company_now().tzinfo == AUCKLAND
    assert calendar.company_today() == date(2027, 2, 1)
    assert calendar.this_month()[0] == datetime(2027, 2, 1, tzinfo=AUCKLAND)


def test_a_month_that_starts_summer_time_is_an_hour_short(in_los_angeles):
    start, end = calendar.month_bounds(date(2027, 3, 20))  # clocks go forward on 14 March

    assert start == utc(2027, 3, 1, 8)  # midnight at UTC-8
    assert end == utc(2027, 4, 1, 7)  # midnight at UTC-7
    assert elapsed(start, end) == timedelta(days=31, hours=-1)


def test_a_month_that_ends_summer_time_is_an_hour_long(in_auckland):
    start, end = calendar.month_bounds(date(2027, 4, 4))  # clocks go back on 4 April

    assert start == utc(2027, 3, 31, 11)  # midnight, 1 April, at UTC+13
    assert end == utc(2027, 4, 30, 12)  # midnight, 1 May, at UTC+12
    assert elapsed(start, end) == timedelta(days=30, hours=1)


def test_the_night_clocks_go_back_stays_in_its_own_month(in_los_angeles):
    # 7 November 2027: 01:30 happens twice in Los Angeles; both are November.
    first, second = utc(2027, 11, 7, 8, 30), utc(2027, 11, 7, 9, 30)

    assert calendar.month_of(first) == calendar.month_of(second) == date(2027, 11, 1)
    assert calendar.company_today(first) == calendar.company_today(second) == date(2027, 11, 7)


def test_new_years_eve_belongs_to_the_old_year_until_midnight_in_the_company_zone(
    in_los_angeles,
):
    eve = datetime(2027, 12, 31, 23, 30, tzinfo=LOS_ANGELES)  # 2028 already in UTC

    assert calendar.this_year(eve) == (
        datetime(2027, 1, 1, tzinfo=LOS_ANGELES),
        datetime(2028, 1, 1, tzinfo=LOS_ANGELES),
    )
    assert calendar.this_month(eve)[1] == datetime(2028, 1, 1, tzinfo=LOS_ANGELES)


def test_new_years_day_in_auckland_is_the_new_year_while_utc_is_still_in_the_old(in_auckland):
    morning = utc(2027, 12, 31, 11, 30)  # 00:30, 1 January 2028, in Auckland

    assert calendar.this_year(morning)[0] == datetime(2028, 1, 1, tzinfo=AUCKLAND)
    assert calendar.this_quarter(morning)[0] == datetime(2028, 1, 1, tzinfo=AUCKLAND)


@pytest.mark.parametrize(
    ("day", "first", "after"),
    [
        (date(2027, 1, 1), date(2027, 1, 1), date(2027, 4, 1)),
        (date(2027, 5, 31), date(2027, 4, 1), date(2027, 7, 1)),
        (date(2027, 12, 31), date(2027, 10, 1), date(2028, 1, 1)),
    ],
)
def test_quarters_are_calendar_quarters(in_auckland, day, first, after):
    assert calendar.quarter_bounds(day) == (
        calendar.start_of_day(first),
        calendar.start_of_day(after),
    )


def test_months_back_cross_a_year_boundary_in_the_company_calendar(in_auckland):
    new_year = utc(2027, 12, 31, 11, 30)  # 00:30, 1 January 2028, in Auckland

    assert calendar.months_back(3, new_year) == [
        date(2027, 11, 1),
        date(2027, 12, 1),
        date(2028, 1, 1),
    ]


def test_a_day_whose_midnight_the_clocks_skip_starts_when_they_jump(settings):
    settings.TIME_ZONE = "America/Santiago"  # 5 September 2027 begins at 01:00 (-03:00)
    start = calendar.start_of_day(date(2027, 9, 5))

    assert start.astimezone(UTC) == utc(2027, 9, 5, 4)  # the moment the clocks jump
    assert calendar.company_today(start) == date(2027, 9, 5)
    assert calendar.company_today(start - timedelta(microseconds=1)) == date(2027, 9, 4)
