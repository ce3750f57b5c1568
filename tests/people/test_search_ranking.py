"""Searching people ranks names that start with the query before names that contain it.

Every search door (the API's directory, HR's people page, the give-kudos recipient
search) lists "ana": Ana before Hana, even when Hana's surname sorts first.
"""

import pytest
from django.test import Client

from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_and_hana():
    hana = UserFactory(first_name="Hana", last_name="Abe", email="hana.abe@example.com")
    ana = UserFactory(first_name="Ana", last_name="Zeller", email="ana.zeller@example.com")
    return ana, hana


def _someone_else() -> object:
    """Who searches: named so that "ana" finds nobody else (a random name might)."""
    return UserFactory(first_name="Zoe", last_name="Kim", email="zoe.kim@example.com")


def _order(page: str, *names: str) -> list[str]:
    return sorted(names, key=page.index)


def test_the_api_directory_lists_ana_before_hana(client_for, ana_and_hana):
    ana, hana = ana_and_hana

    response = client_for(_someone_else()).get("/api/v1/people/", {"search": "ana"})

    assert [person["id"] for person in response.json()["results"]] == [ana.pk, hana.pk]


def test_an_explicit_ordering_still_wins_over_the_ranking(client_for, ana_and_hana):
    ana, hana = ana_and_hana

    response = client_for(_someone_else()).get(
        "/api/v1/people/", {"search": "ana", "ordering": "last_name"}
    )

    assert [person["id"] for person in response.json()["results"]] == [hana.pk, ana.pk]


def test_hr_people_page_lists_ana_before_hana(ana_and_hana):
    client = Client()
    client.force_login(
        HRAdminFactory(first_name="Lee", last_name="Kim", email="lee.kim@example.com")
    )

    page = client.get("/hr/people/", {"q": "ana"}).content.decode()

    assert _order(page, "Hana Abe", "Ana Zeller") == ["Ana Zeller", "Hana Abe"]


def test_the_recipient_search_lists_ana_before_hana(ana_and_hana):
    client = Client()
    client.force_login(_someone_else())

    page = client.get("/people/search/", {"q": "ana"}).content.decode()

    assert _order(page, "Hana Abe", "Ana Zeller") == ["Ana Zeller", "Hana Abe"]
