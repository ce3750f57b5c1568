"""HR's monthly report groups points by the company's calendar month, in its time zone."""

from datetime import date

import pytest
from django.utils import timezone

from plaudit.recognition.services import Gift, give_recognition
from plaudit.reports.selectors import months_back, points_flow_by_department
from tests.clock import at
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY = "Pacific/Auckland"  # UTC+13 in summer: its 1 February starts on 31 January in UTC


def company(*args: int):
    return at(COMPANY, *args)


@pytest.fixture(autouse=True)
def _company_in_auckland(settings):
    settings.TIME_ZONE = COMPANY


def _give(giver, person, points):
    give_recognition(giver=giver, message="Thanks!", gifts=[Gift(person, points)], values=())


@pytest.mark.parametrize("reader", ["UTC", "America/Los_Angeles"])
def test_each_kudos_is_in_the_companys_month_whatever_the_readers_zone(clock, reader):
    sales = DepartmentFactory(name="Sales")
    giver, ana = UserFactory(department=sales), UserFactory()
    clock.set(company(2027, 1, 31, 23, 30))
    _give(giver, ana, 10)
    clock.set(company(2027, 2, 1, 0, 30))  # still 31 January in UTC
    _give(giver, ana, 5)

    clock.set(company(2027, 2, 10, 9, 0))
    with timezone.override(reader):
        months = months_back(2)
        flow = points_flow_by_department(2)

    assert months == [date(2027, 1, 1), date(2027, 2, 1)]
    assert [(row.department, row.month, row.given) for row in flow] == [
        ("Sales", date(2027, 1, 1), 10),
        ("Sales", date(2027, 2, 1), 5),
    ]


def test_the_report_starts_at_midnight_of_its_first_month_in_the_company_zone(clock):
    giver, ana = UserFactory(), UserFactory()
    clock.set(company(2026, 12, 31, 23, 59))  # the last minute before the report's months
    _give(giver, ana, 7)
    clock.set(company(2027, 1, 1, 0, 0))  # its first minute
    _give(giver, ana, 3)

    clock.set(company(2027, 2, 10, 9, 0))
    flow = points_flow_by_department(2)

    assert [(row.month, row.given) for row in flow] == [(date(2027, 1, 1), 3)]
