"""Allowances, leaderboards and celebrations follow the company's calendar, in its time zone.

The company is in Los Angeles (UTC-8 in winter): 23:30 on 31 January there is already
1 February in UTC. The people reading are elsewhere (their zone active for the request),
which changes how times are shown to them, never which month it is.
"""

from datetime import UTC, date

import pytest
from django.utils import timezone

from plaudit.ledger.selectors import allowance_remaining, points_of, points_terms
from plaudit.recognition.celebrations import celebrate_occasions
from plaudit.recognition.models import CelebrationMilestone
from tests.clock import at
from tests.factories import UserFactory

from .payloads import kudos

pytestmark = pytest.mark.django_db

COMPANY = "America/Los_Angeles"
READER = "Pacific/Auckland"  # a day ahead: already February there all along
KUDOS = "/api/v1/recognitions/"
BOARD = "/api/v1/reports/leaderboard/"


def company(*args: int):
    return at(COMPANY, *args)


@pytest.fixture(autouse=True)
def _company_in_los_angeles(settings):
    settings.TIME_ZONE = COMPANY


@pytest.fixture
def rich(settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 10_000}


def _rows(body):
    return [(row["id"], row["points"]) for row in body["results"]]


def test_a_kudos_late_on_31_january_spends_januarys_allowance_though_utc_says_february(give, clock):
    giver, ana = UserFactory(), UserFactory()
    clock.set(company(2027, 1, 31, 23, 30))
    give(giver, {ana: 100})

    clock.set(company(2027, 1, 31, 23, 45))  # 07:45 on 1 February in UTC
    assert timezone.now().astimezone(UTC).month == 2
    assert allowance_remaining(giver) == 0
    assert points_of(giver)["allowance_remaining"] == 0

    clock.set(company(2027, 2, 1, 0, 15))  # February in the company: a fresh allowance
    assert allowance_remaining(giver) == 100
    assert points_of(giver)["allowance_remaining"] == 100


def test_the_givers_own_time_zone_does_not_move_the_allowance_month(client_for, give, clock):
    giver, ana = UserFactory(time_zone=READER), UserFactory()
    clock.set(company(2027, 1, 31, 23, 30))
    give(giver, {ana: 100})

    clock.set(company(2027, 1, 31, 23, 45))
    with timezone.override(giver.time_zone):  # as the request middleware will
        refused = client_for(giver).post(KUDOS, kudos([(ana, 1)]))
    clock.set(company(2027, 2, 1, 0, 15))
    with timezone.override(giver.time_zone):
        accepted = client_for(giver).post(KUDOS, kudos([(ana, 100)]))

    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_allowance"
    assert accepted.status_code == 201, accepted.json()


def test_the_cached_figures_of_me_turn_over_at_the_companys_midnight(clock):
    clock.set(company(2027, 1, 31, 15, 0))  # 23:00 in UTC: another day there soon
    afternoon = points_terms()
    clock.set(company(2027, 1, 31, 23, 59))
    with timezone.override(READER):
        last_minute = points_terms()
    clock.set(company(2027, 2, 1, 0, 0))
    midnight = points_terms()

    assert afternoon == last_minute != midnight


def test_a_kudos_late_on_31_january_is_on_januarys_board_and_not_februarys(
    client_for, give, rich, clock
):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    reader = client_for(UserFactory(time_zone=READER))
    clock.set(company(2027, 1, 31, 23, 30))
    give(giver, {ana: 10})

    clock.set(company(2027, 1, 31, 23, 50))
    with timezone.override(READER):
        january = reader.get(BOARD, {"period": "month"}).json()
    clock.set(company(2027, 2, 1, 0, 30))
    give(giver, {bo: 5})
    clock.set(company(2027, 2, 1, 0, 40))
    with timezone.override(READER):
        february = reader.get(BOARD, {"period": "month"}).json()

    assert _rows(january) == [(ana.pk, 10)]
    assert _rows(february) == [(bo.pk, 5)]
    # The month's start, written at the company's offset whoever reads it (and caches it).
    assert january["since"] == "2027-01-01T00:00:00-08:00"
    assert february["since"] == "2027-02-01T00:00:00-08:00"


def test_new_years_eve_in_the_company_counts_on_the_old_years_board(client_for, give, rich, clock):
    giver, ana = UserFactory(), UserFactory()
    reader = client_for(UserFactory())
    clock.set(company(2027, 12, 31, 23, 30))  # 2028 already in UTC
    give(giver, {ana: 10})

    clock.set(company(2027, 12, 31, 23, 55))
    old_year = reader.get(BOARD, {"period": "year"}).json()
    clock.set(company(2028, 1, 1, 0, 5))
    new_year = reader.get(BOARD, {"period": "year"}).json()

    assert _rows(old_year) == [(ana.pk, 10)]
    assert old_year["since"] == "2027-01-01T00:00:00-08:00"
    assert _rows(new_year) == []


def test_birthdays_are_celebrated_on_the_companys_day_not_the_servers(clock):
    CelebrationMilestone.objects.create(occasion="birthday", points=25)
    ana = UserFactory(birth_date=date(1990, 2, 1), hire_date=None)

    clock.set(company(2027, 1, 31, 23, 0))  # 1 February in UTC, and in the worker's zone
    with timezone.override("UTC"):
        early = celebrate_occasions(catch_up_days=1)
    clock.set(company(2027, 2, 1, 8, 0))
    with timezone.override("UTC"):
        [birthday] = celebrate_occasions(catch_up_days=1)

    assert early == []
    assert birthday.awards.get().recipient == ana
