"""points_of (one SQL query, for /me/ and every web page) agrees with the ORM's figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.ledger.selectors import allowance_remaining, balance_of, points_of
from plaudit.recognition.services import Gift, give_recognition
from plaudit.rewards.services import redeem_reward
from tests.factories import ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def _orm_figures(person, now=None) -> dict[str, int]:
    return {"balance": balance_of(person), "allowance_remaining": allowance_remaining(person, now)}


def test_someone_with_no_accounts_yet_has_nothing_and_a_whole_allowance(settings):
    person = UserFactory()

    assert points_of(person) == _orm_figures(person)
    assert points_of(person)["allowance_remaining"] == settings.PLAUDIT["MONTHLY_ALLOWANCE"]


@pytest.mark.parametrize("make_person", [UserFactory, ManagerFactory])
def test_after_grants_gifts_received_given_and_a_redemption(make_person):
    person = make_person(with_points=300)
    colleague = UserFactory(with_points=50)
    give_recognition(giver=person, message="Thanks", gifts=[Gift(colleague, 7)])
    give_recognition(giver=colleague, message="Back at you", gifts=[Gift(person, 11)])
    redeem_reward(user=person, reward_id=RewardFactory(cost=100).pk)

    figures = points_of(person)

    assert figures == _orm_figures(person)
    assert figures["balance"] == 300 + 11 - 100


def test_what_was_given_last_month_no_longer_counts(settings):
    person = UserFactory()
    give_recognition(giver=person, message="Thanks", gifts=[Gift(UserFactory(), 9)])
    next_month = timezone.now() + timedelta(days=32)

    assert points_of(person, next_month) == _orm_figures(person, next_month)
    assert (
        points_of(person, next_month)["allowance_remaining"]
        == (settings.PLAUDIT["MONTHLY_ALLOWANCE"])
    )
    assert points_of(person)["allowance_remaining"] == settings.PLAUDIT["MONTHLY_ALLOWANCE"] - 9


def test_giving_the_whole_allowance_leaves_zero_not_less(settings):
    person = UserFactory()
    allowance = settings.PLAUDIT["MONTHLY_ALLOWANCE"]
    give_recognition(giver=person, message="Thanks", gifts=[Gift(UserFactory(), allowance)])

    assert points_of(person) == _orm_figures(person) == {"balance": 0, "allowance_remaining": 0}
