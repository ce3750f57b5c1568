"""The list paginator reads the page and the total in one query, with Django's answers.

``CountInPagePaginator`` must agree with Django's own ``Paginator`` on every page of
every list: the same rows, the same total, the same errors past the end.
"""

from typing import Any

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count

from plaudit.core.pagination import CountInPagePaginator
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from tests.factories import DepartmentFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def people() -> Any:
    return User.objects.order_by("email")


@pytest.fixture
def seven_people() -> None:
    UserFactory.create_batch(7)


@pytest.mark.parametrize("per_page", [1, 2, 3, 7, 8, 20])
def test_every_page_matches_djangos_paginator(seven_people: None, per_page: int) -> None:
    ours, djangos = CountInPagePaginator(people(), per_page), Paginator(people(), per_page)
    for number in djangos.page_range:
        page, expected = ours.page(number), djangos.page(number)
        assert list(page) == list(expected)
        assert (page.has_next(), page.has_previous()) == (
            expected.has_next(),
            expected.has_previous(),
        )
        assert (ours.count, ours.num_pages) == (7, djangos.num_pages)


def test_a_page_and_its_total_cost_one_query(
    seven_people: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        paginator = CountInPagePaginator(people(), 3)
        page = paginator.page(2)
        assert len(page) == 3
        assert (paginator.count, paginator.num_pages, page.has_next()) == (7, 3, True)


@pytest.mark.parametrize(
    ("number", "error"),
    [(4, EmptyPage), (2**63, EmptyPage), (0, EmptyPage), (-1, EmptyPage), ("x", PageNotAnInteger)],
)
def test_pages_outside_the_list_are_djangos_errors(
    seven_people: None, number: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        CountInPagePaginator(people(), 3).page(number)


def test_an_empty_list_has_one_empty_first_page(db: None) -> None:
    paginator = CountInPagePaginator(User.objects.none(), 20)
    assert list(paginator.page(1)) == []
    assert paginator.count == 0


def test_a_distinct_list_is_counted_by_distinct_rows(db: None) -> None:
    """A window over a join would count the join's rows; such lists take Django's path."""
    team = DepartmentFactory()
    for _ in range(3):
        UserFactory(department=team)
    joined = User.objects.filter(department__members__isnull=False).distinct().order_by("email")
    paginator = CountInPagePaginator(joined, 2)
    assert len(paginator.page(1)) == 2
    assert paginator.count == 3


def test_a_grouped_list_is_counted_by_groups(db: None) -> None:
    for _ in range(2):
        UserFactory(department=DepartmentFactory())
    grouped = User.objects.values("department").annotate(n=Count("id")).order_by("department")
    paginator = CountInPagePaginator(grouped, 1)
    assert len(paginator.page(2)) == 1
    assert paginator.count == User.objects.values("department").distinct().count()


def test_the_ledger_list_reports_its_total_and_pages(client_for: Any) -> None:
    """The contract's ``count``, ``next`` and ``previous`` on a real list."""
    person = UserFactory()
    hr = HRAdminFactory()
    for n in range(5):
        grant_points(user=person, amount=n + 1, reason=f"grant {n}", granted_by=hr)
    client = client_for(person)
    body = client.get("/api/v1/points/entries/?page_size=2&page=2").json()
    assert body["count"] == 5
    assert [row["amount"] for row in body["results"]] == [3, 2]
    assert body["next"].endswith("page=3&page_size=2")
    assert body["previous"].endswith("page_size=2")
    past_the_end = client.get("/api/v1/points/entries/?page_size=2&page=4")
    assert past_the_end.status_code == 404
