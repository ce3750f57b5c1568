"""A person's own ledger pages and /me/ figures are cached, and every move of their
accounts shows at once.

The pages are made stale *after commit*, as in production, so these tests commit for
real (``transaction=True``) instead of rolling back.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaudit.ledger.models import Entry
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.people.services import update_person
from plaudit.recognition.services import Gift, give_recognition
from plaudit.rewards.services import cancel_redemption, redeem_reward
from tests.clients import bearer_client
from tests.factories import DepartmentFactory, HRAdminFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES = "/api/v1/points/entries/"
ME = "/api/v1/me/"


def lines(reader: User, **params: Any) -> dict[str, Any]:
    response = bearer_client(reader).get(ENTRIES, params)
    assert response.status_code == 200, response.content[:300]
    return dict(response.json())


def entry_queries(queries: CaptureQueriesContext) -> list[str]:
    table = Entry._meta.db_table
    return [query["sql"] for query in queries.captured_queries if table in query["sql"]]


def test_a_second_read_of_the_same_page_does_not_touch_the_ledger() -> None:
    person = UserFactory(with_points=50)
    first = lines(person)

    with CaptureQueriesContext(connection) as queries:
        second = lines(person)

    assert second == first
    assert entry_queries(queries) == []


def test_every_move_of_the_balance_shows_at_once() -> None:
    person = UserFactory(with_points=500)
    colleague = UserFactory()
    reward = RewardFactory(name="Mug", cost=120)
    assert lines(person)["count"] == 1  # cached now

    redemption = redeem_reward(user=person, reward_id=reward.pk)
    assert [line["amount"] for line in lines(person)["results"]] == [-120, 500]

    cancel_redemption(redemption_id=redemption.pk, actor=person)
    assert [line["amount"] for line in lines(person)["results"]] == [120, -120, 500]

    # Others move it too: a grant from HR, thanks from a colleague.
    grant_points(user=person, amount=7, reason="Launch", granted_by=HRAdminFactory())
    give_recognition(giver=colleague, message="Thanks!", gifts=[Gift(recipient=person, points=3)])
    body = lines(person)
    assert body["count"] == 5
    assert [line["amount"] for line in body["results"]][:2] == [3, 7]


def test_nobody_else_is_served_a_persons_cached_page() -> None:
    rich, poor = UserFactory(with_points=900), UserFactory(with_points=1)
    assert lines(rich)["results"][0]["amount"] == 900

    assert [line["amount"] for line in lines(poor)["results"]] == [1]


def test_each_page_and_page_size_is_its_own_entry() -> None:
    person = UserFactory(with_points=1)
    hr = HRAdminFactory()
    for amount in range(2, 6):
        grant_points(user=person, amount=amount, reason="more", granted_by=hr)

    first, second = lines(person, page_size=2), lines(person, page_size=2, page=2)

    assert [line["amount"] for line in first["results"]] == [5, 4]
    assert [line["amount"] for line in second["results"]] == [3, 2]
    assert lines(person, page_size=3)["next"].endswith("page=2&page_size=3")


def test_hr_asking_for_someone_reads_the_ledger_itself() -> None:
    person = UserFactory(with_points=40)
    hr = HRAdminFactory()
    assert lines(person)["count"] == 1

    asked = lines(hr, user=person.pk)
    assert [line["amount"] for line in asked["results"]] == [40]
    assert lines(hr)["count"] == 0  # their own, a different page


def test_a_page_past_the_end_is_a_404_and_is_not_cached() -> None:
    person = UserFactory(with_points=5)

    assert bearer_client(person).get(ENTRIES, {"page": 2}).status_code == 404
    grant_points(user=person, amount=5, reason="more", granted_by=HRAdminFactory())
    assert bearer_client(person).get(ENTRIES, {"page": 2, "page_size": 1}).status_code == 200


# --- /me/: the balance and the giving allowance left ----------------------------------


def points(reader: User) -> dict[str, int]:
    response = bearer_client(reader).get(ME)
    assert response.status_code == 200, response.content[:300]
    return dict(response.json()["points"])


def test_a_second_read_of_me_does_not_touch_the_ledger() -> None:
    person = UserFactory(with_points=50)
    first = points(person)

    with CaptureQueriesContext(connection) as queries:
        second = points(person)

    assert second == first
    assert [query for query in queries.captured_queries if "ledger_" in query["sql"]] == []


def test_me_shows_every_move_of_either_account_at_once(settings: Any) -> None:
    allowance = settings.PLAUDIT["MONTHLY_ALLOWANCE"]
    person, colleague = UserFactory(with_points=500), UserFactory()
    reward = RewardFactory(name="Mug", cost=120)
    assert points(person) == {"balance": 500, "allowance_remaining": allowance}  # cached

    redemption = redeem_reward(user=person, reward_id=reward.pk)
    assert points(person)["balance"] == 380
    cancel_redemption(redemption_id=redemption.pk, actor=person)
    assert points(person)["balance"] == 500

    # Giving moves only the giver's allowance; receiving, the recipient's balance.
    assert points(colleague)["balance"] == 0  # cached too
    give_recognition(giver=person, message="Thanks!", gifts=[Gift(recipient=colleague, points=4)])
    assert points(person) == {"balance": 500, "allowance_remaining": allowance - 4}
    assert points(colleague)["balance"] == 4


def test_me_follows_a_role_change_to_the_managers_allowance(settings: Any) -> None:
    person = UserFactory()
    assert points(person)["allowance_remaining"] == settings.PLAUDIT["MONTHLY_ALLOWANCE"]

    update_person(person, actor=None, role=Role.MANAGER)

    assert points(person)["allowance_remaining"] == settings.PLAUDIT["MANAGER_MONTHLY_ALLOWANCE"]


def test_me_follows_changes_to_the_person_and_their_department() -> None:
    person = UserFactory(first_name="Ana", department=DepartmentFactory(name="Ops"))
    assert bearer_client(person).get(ME).json()["first_name"] == "Ana"  # cached

    update_person(person, actor=None, first_name="Anna")
    person.department.name = "Operations"
    person.department.save()

    me = bearer_client(person).get(ME).json()
    assert (me["first_name"], me["department"]) == ("Anna", "Operations")


def test_a_new_month_and_a_new_allowance_are_read_afresh(monkeypatch, settings) -> None:
    giver, colleague = UserFactory(), UserFactory()
    give_recognition(giver=giver, message="Thanks!", gifts=[Gift(recipient=colleague, points=6)])
    allowance = settings.PLAUDIT["MONTHLY_ALLOWANCE"]
    assert points(giver)["allowance_remaining"] == allowance - 6  # cached

    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": allowance + 50}
    assert points(giver)["allowance_remaining"] == allowance + 44

    next_month = timezone.now().replace(day=1) + timedelta(days=32)
    monkeypatch.setattr(timezone, "now", lambda: next_month)
    assert points(giver)["allowance_remaining"] == allowance + 50
