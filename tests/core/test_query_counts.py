"""Every list endpoint costs the same number of queries for a few rows as for fifty.

A related object read per row (an N+1) would make the second count grow; the
selectors' ``select_related`` / ``prefetch_related`` keep it flat.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.rewards.services import approve_redemption, redeem_reward
from tests.factories import (
    DepartmentFactory,
    HRAdminFactory,
    ManagerFactory,
    RewardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 50


@dataclass
class Company:
    hr_admin: User
    manager: User
    employee: User
    serial: int = 0

    def next(self) -> int:
        self.serial += 1
        return self.serial


@pytest.fixture
def company(settings: Any) -> Company:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = ManagerFactory()
    return Company(
        hr_admin=HRAdminFactory(),
        manager=manager,
        employee=UserFactory(manager=manager, with_points=1_000_000),
    )


def a_colleague(company: Company) -> None:
    """Each in their own department and with their own manager, so joins must do the work."""
    serial = company.next()
    UserFactory(
        department=DepartmentFactory(name=f"Team {serial}"),
        manager=ManagerFactory(department=DepartmentFactory(name=f"Lead {serial}")),
        salary=Decimal(40_000 + serial),
    )


def a_reward(company: Company) -> None:
    RewardFactory(category=f"Category {company.next()}")


def an_own_redemption(company: Company) -> None:
    reward = RewardFactory(name=f"Own {company.next()}")
    redemption = redeem_reward(user=company.employee, reward_id=reward.pk)
    approve_redemption(redemption_id=redemption.pk, actor=company.hr_admin)


def a_reports_redemption(company: Company) -> None:
    """Another report of the same manager, each redeeming a different reward."""
    report = UserFactory(manager=company.manager, with_points=500)
    reward = RewardFactory(name=f"Team {company.next()}")
    redemption = redeem_reward(user=report, reward_id=reward.pk)
    approve_redemption(redemption_id=redemption.pk, actor=company.manager)


def a_ledger_line(company: Company) -> None:
    grant_points(
        user=company.employee, amount=company.next(), reason="Thanks", granted_by=company.hr_admin
    )


@dataclass(frozen=True)
class ListEndpoint:
    url: str
    viewer: str
    add_row: Callable[[Company], None]


ENDPOINTS = {
    "people, as an employee": ListEndpoint("/api/v1/people/", "employee", a_colleague),
    "people, as HR": ListEndpoint("/api/v1/people/", "hr_admin", a_colleague),
    "rewards, as an employee": ListEndpoint("/api/v1/rewards/", "employee", a_reward),
    "rewards, as HR": ListEndpoint("/api/v1/rewards/", "hr_admin", a_reward),
    "redemptions, as the redeemer": ListEndpoint(
        "/api/v1/redemptions/", "employee", an_own_redemption
    ),
    "redemptions, as a manager": ListEndpoint(
        "/api/v1/redemptions/", "manager", a_reports_redemption
    ),
    "redemptions, as HR": ListEndpoint("/api/v1/redemptions/", "hr_admin", a_reports_redemption),
    "points entries": ListEndpoint("/api/v1/points/entries/", "employee", a_ledger_line),
    "top salaries": ListEndpoint("/api/v1/reports/top-salaries/", "hr_admin", a_colleague),
}


def queries_for(client: APIClient, url: str) -> tuple[int, int]:
    """(queries, rows) for one uncached request of the whole list."""
    cache.clear()  # the catalog cache would hide the queries it saves
    params = {"n": 100} if "top-salaries" in url else {"page_size": 100}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("case", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_a_list_costs_the_same_queries_for_one_row_and_for_fifty(
    company: Company, case: ListEndpoint
) -> None:
    client = APIClient()
    client.force_authenticate(user=getattr(company, case.viewer))
    case.add_row(company)
    few_queries, few_rows = queries_for(client, case.url)

    for _ in range(ROWS - 1):
        case.add_row(company)
    many_queries, many_rows = queries_for(client, case.url)

    assert many_rows >= few_rows + ROWS - 1
    assert many_queries == few_queries
