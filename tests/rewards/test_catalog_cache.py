"""The public catalog is cached once for everyone, and every change shows at once.

The cache is invalidated *after commit*, as in production, so the tests of changes
run with ``transaction=True``: they commit for real instead of rolling back.
"""

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaudit.people.models import User
from plaudit.rewards.models import Reward
from plaudit.rewards.services import redeem_reward
from tests.clients import bearer_client
from tests.factories import HRAdminFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

CATALOG = "/api/v1/rewards/"


def catalog(user: User, **params: str) -> dict[str, Any]:
    response = bearer_client(user).get(CATALOG, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def listed(user: User, **params: str) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in catalog(user, **params)["results"]}


def reward_table_queries(queries: CaptureQueriesContext) -> list[str]:
    table = Reward._meta.db_table
    return [query["sql"] for query in queries.captured_queries if table in query["sql"]]


def test_a_second_identical_request_by_another_employee_does_not_touch_the_reward_table() -> None:
    RewardFactory(name="Hoodie")
    first, second = UserFactory(), UserFactory()
    served_first = catalog(first, ordering="cost")

    with CaptureQueriesContext(connection) as queries:
        served_second = catalog(second, ordering="cost")

    assert served_second == served_first
    assert reward_table_queries(queries) == []


def test_another_question_is_not_answered_from_the_cache() -> None:
    RewardFactory(name="Hoodie", category="Swag")
    RewardFactory(name="Coffee", category="Food")
    person = UserFactory()
    catalog(person, category="Swag")

    with CaptureQueriesContext(connection) as queries:
        food = listed(person, category="Food")

    assert set(food) == {"Coffee"}
    assert reward_table_queries(queries) != []


def test_a_crafted_query_cannot_poison_the_page_of_another_query() -> None:
    """``?category=Swag%26search%3Dmug`` and ``?category=Swag&search=mug`` are two questions."""
    RewardFactory(name="Purple mug", category="Swag")
    attacker, colleague = UserFactory(), UserFactory()

    poisoned = listed(attacker, category="Swag&search=mug")
    honest = listed(colleague, category="Swag", search="mug")

    assert poisoned == {}
    assert set(honest) == {"Purple mug"}


def test_hr_admins_are_never_served_the_public_cached_page() -> None:
    RewardFactory(name="Hoodie")
    RewardFactory(name="Retired pen", is_active=False)
    hr_admin = HRAdminFactory()
    catalog(UserFactory())  # the public page, now cached

    with CaptureQueriesContext(connection) as queries:
        seen_by_hr = listed(hr_admin)

    assert set(seen_by_hr) == {"Hoodie", "Retired pen"}
    assert reward_table_queries(queries) != []
    assert set(listed(UserFactory())) == {"Hoodie"}  # and HR's page was not cached for others


# --- every change to what the catalog shows is visible on the next request -------------


def create(hr_admin: User, reward: Reward) -> Any:
    return bearer_client(hr_admin).post(CATALOG, {"name": "Sticker", "cost": 5})


def patch(hr_admin: User, reward: Reward) -> Any:
    return bearer_client(hr_admin).patch(f"{CATALOG}{reward.pk}/", {"cost": 250})


def delete(hr_admin: User, reward: Reward) -> Any:
    return bearer_client(hr_admin).delete(f"{CATALOG}{reward.pk}/")


def redeem(hr_admin: User, reward: Reward) -> Any:
    redeemer = UserFactory(with_points=1000)
    return bearer_client(redeemer).post("/api/v1/redemptions/", {"reward": reward.pk})


def refund(hr_admin: User, reward: Reward) -> Any:
    """A redemption made before the page was cached is cancelled: the item goes back."""
    pending = Reward.all_objects.get(pk=reward.pk).redemptions.get()
    return bearer_client(pending.user).post(f"/api/v1/redemptions/{pending.pk}/cancel/")


CHANGES: dict[str, tuple[Callable[[User, Reward], Any], Callable[[dict[str, Any]], bool]]] = {
    "a reward is created": (create, lambda page: "Sticker" in page),
    "a reward is patched": (patch, lambda page: page["Hoodie"]["cost"] == 250),
    "a reward is deleted": (delete, lambda page: "Hoodie" not in page),
    "a redemption takes stock": (redeem, lambda page: page["Hoodie"]["stock"] == 5),
    "a refund restocks": (refund, lambda page: page["Hoodie"]["stock"] == 6),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", CHANGES, ids=CHANGES.keys())
def test_the_next_catalog_request_shows_the_change_at_once(change: str) -> None:
    hr_admin, reader = HRAdminFactory(), UserFactory()
    reward = RewardFactory(name="Hoodie", cost=100, stock=6, per_user_limit=None)
    if change == "a refund restocks":
        redeem_reward(user=UserFactory(with_points=100), reward_id=reward.pk)
    before = listed(reader)  # cached now
    make_change, is_shown = CHANGES[change]

    response = make_change(hr_admin, reward)

    assert response.status_code < 300, response.content[:300]
    assert not is_shown(before)
    assert is_shown(listed(reader))


def test_a_cached_page_does_not_outlive_a_rewards_expiry() -> None:
    """Time changes the catalog with no write at all: the cache entry expires with the reward."""
    RewardFactory(name="Flash sale", expires_at=timezone.now() + timedelta(seconds=1))
    reader = UserFactory()
    assert "Flash sale" in listed(reader)

    time.sleep(1.5)

    assert "Flash sale" not in listed(reader)


@pytest.mark.redis
def test_the_cached_page_holds_no_personal_data() -> None:
    RewardFactory(name="Hoodie", stock=5)
    person = UserFactory(
        first_name="Zebulon",
        last_name="Quackenbush",
        email="zebulon.q@example.com",
        with_points=987_654,
    )
    redeem_reward(user=person, reward_id=RewardFactory(name="Mug", stock=3).pk)
    catalog(person)
    catalog(person, ordering="-cost")

    client = cache._cache.get_client()  # type: ignore[attr-defined]
    pages = [
        cache.get(raw.decode().split(":", 2)[2])
        for raw in client.keys(cache.make_key("catalog:*"))
        if raw.decode() != cache.make_key("catalog:version")
    ]

    assert len(pages) == 2
    text = json.dumps(pages, default=str)
    for personal in (
        "Zebulon",
        "Quackenbush",
        "zebulon.q@example.com",
        "987654",
        "987554",
        str(person.salary),
        f'"user": {person.pk}',
    ):
        assert personal not in text
    assert "Hoodie" in text


def test_a_page_rendered_while_the_catalog_changed_is_not_served_afterwards() -> None:
    """The version and the page come back in one round trip; a render that overlapped a
    change was stored under the version read before it, so it counts as a miss."""
    from plaudit.rewards.cache import cached_catalog_page, invalidate_catalog

    def render_during_a_change() -> list[str]:
        invalidate_catalog()  # HR saves a reward while this render reads the old rows
        return ["stale"]

    assert cached_catalog_page("testserver", {}, render_during_a_change) == ["stale"]
    assert cached_catalog_page("testserver", {}, lambda: ["fresh"]) == ["fresh"]
    assert cached_catalog_page("testserver", {}, lambda: ["never rendered"]) == ["fresh"]


def test_a_page_cached_for_one_host_never_sends_its_links_to_another(settings) -> None:
    """The next/previous links name the host; each host has its own cached copy."""
    settings.ALLOWED_HOSTS = ["plaudit.example", "internal.example"]
    for n in range(25):
        RewardFactory(name=f"Reward {n:02}")
    reader = UserFactory()

    outside = bearer_client(reader).get(CATALOG, HTTP_HOST="plaudit.example").json()
    inside = bearer_client(reader).get(CATALOG, HTTP_HOST="internal.example").json()

    assert outside["next"].startswith("http://plaudit.example/")
    assert inside["next"].startswith("http://internal.example/")
    assert inside["results"] == outside["results"]


def test_a_host_not_allowed_is_a_400_problem_not_a_cached_page() -> None:
    """The page's cache keys name the host, and are worked out as the token is checked:
    a Host outside ALLOWED_HOSTS must still end as the contract's 400, not a 500."""
    RewardFactory(name="Mug")

    response = bearer_client(UserFactory()).get(CATALOG, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Mug" not in response.content.decode()
