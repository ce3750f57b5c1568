from datetime import date

import pytest
from django.utils import timezone

from plaudit.ledger.models import TransactionKind
from plaudit.ledger.selectors import balance_of, ledger_problems
from plaudit.recognition.celebrations import celebrate_occasions
from plaudit.recognition.models import CelebrationMilestone, Recognition
from plaudit.recognition.tasks import celebrate_occasions as celebrate_task
from tests.factories import HRAdminFactory, ManagerFactory, UserFactory
from tests.ledger.accounts import reserve_balance

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
MILESTONES = "/api/v1/celebrations/milestones/"


def birthday(points):
    return CelebrationMilestone.objects.create(occasion="birthday", points=points)


def anniversary(points, years=None):
    return CelebrationMilestone.objects.create(occasion="anniversary", years=years, points=points)


def test_nothing_is_celebrated_until_hr_sets_a_milestone():
    UserFactory(birth_date=date(1990, 6, 15), hire_date=date(2020, 6, 15))

    assert celebrate_occasions(today=TODAY) == []
    assert not Recognition.objects.exists()


def test_a_birthday_is_celebrated_with_points_from_the_company_reserve():
    birthday(25)
    ana = UserFactory(first_name="Ana", birth_date=date(1990, 6, 15), hire_date=None)

    [celebration] = celebrate_occasions(today=TODAY)

    assert celebration.kind == "birthday"
    assert celebration.giver is None
    assert celebration.message == "Happy birthday, Ana! 🎂"
    assert celebration.transaction.kind == TransactionKind.CELEBRATION
    assert balance_of(ana) == 25
    assert reserve_balance() == -25
    assert ledger_problems() == []


def test_running_the_task_twice_celebrates_each_occasion_once():
    birthday(25)
    ana = UserFactory(birth_date=date(1990, 6, 15), hire_date=None)

    celebrate_occasions(today=TODAY)
    again = celebrate_occasions(today=TODAY)
    next_day = celebrate_occasions(today=date(2026, 6, 16))

    assert again == next_day == []
    assert Recognition.objects.count() == 1
    assert balance_of(ana) == 25


def test_a_late_run_catches_up_on_missed_days():
    birthday(10)
    ana = UserFactory(birth_date=date(1990, 6, 13), hire_date=None)

    celebrate_occasions(today=TODAY, catch_up_days=3)

    assert balance_of(ana) == 10


def test_anniversaries_use_the_milestone_for_their_years_or_the_default():
    anniversary(50)
    anniversary(500, years=5)
    one_year = UserFactory(first_name="One", hire_date=date(2025, 6, 15))
    five_years = UserFactory(first_name="Five", hire_date=date(2021, 6, 15))
    hired_today = UserFactory(hire_date=TODAY)

    made = celebrate_occasions(today=TODAY)

    assert sorted(r.message for r in made) == [
        "Happy 1-year work anniversary, One! 🎉",
        "Happy 5-year work anniversary, Five! 🎉",
    ]
    assert (balance_of(one_year), balance_of(five_years), balance_of(hired_today)) == (50, 500, 0)


def test_a_29_february_birthday_is_celebrated_on_28_february_in_other_years():
    birthday(5)
    leapling = UserFactory(birth_date=date(2000, 2, 29), hire_date=None)

    celebrate_occasions(today=date(2027, 2, 28), catch_up_days=1)
    celebrate_occasions(today=date(2027, 3, 1), catch_up_days=2)

    assert balance_of(leapling) == 5


def test_deactivated_people_are_not_celebrated():
    birthday(5)
    UserFactory(birth_date=date(1990, 6, 15), is_active=False)

    assert celebrate_occasions(today=TODAY) == []


def test_celebrations_appear_in_the_feed(client_for):
    birthday(0)
    ana = UserFactory(first_name="Ana", birth_date=date(1990, 6, 15), hire_date=None)
    celebrate_occasions(today=TODAY)

    item = client_for(ana).get("/api/v1/recognitions/").json()["results"][0]

    assert item["kind"] == "birthday"
    assert item["giver"] is None
    assert item["recipients"][0]["user"]["id"] == ana.pk


def test_hr_admins_set_milestones_and_others_cannot(client_for):
    hr = client_for(HRAdminFactory())

    created = hr.post(MILESTONES, {"occasion": "anniversary", "years": 5, "points": 200})
    duplicate = hr.post(MILESTONES, {"occasion": "anniversary", "years": 5, "points": 1})
    birthday_years = hr.post(MILESTONES, {"occasion": "birthday", "years": 3, "points": 1})
    by_manager = client_for(ManagerFactory()).post(
        MILESTONES, {"occasion": "birthday", "points": 9}
    )

    assert created.status_code == 201, created.json()
    assert duplicate.status_code == 400
    assert birthday_years.status_code == 400
    assert "years" in birthday_years.json()["errors"]
    assert by_manager.status_code == 403
    assert client_for(UserFactory()).get(MILESTONES).status_code == 403
    assert CelebrationMilestone.objects.count() == 1


def test_the_scheduled_task_celebrates_today_and_is_on_the_beat_schedule(settings):
    birthday(7)
    today = timezone.localdate()
    ana = UserFactory(
        birth_date=today.replace(year=1990)
        if (today.month, today.day) != (2, 29)
        else date(1992, 2, 29),
        hire_date=None,
    )

    ids = celebrate_task.delay().get()

    assert len(ids) == 1
    assert balance_of(ana) == 7
    schedule = settings.CELERY_BEAT_SCHEDULE.values()
    assert "plaudit.recognition.tasks.celebrate_occasions" in {entry["task"] for entry in schedule}
