"""Rate limits: a counter per client whose window opens with the client's first request."""

import time
from typing import Any

import pytest
from django.core.cache import cache
from redis.connection import Connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.core.cache import count_in_window
from plaudit.people.models import User
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_rate(settings):
    def set_rate(rate: str) -> None:
        rest_framework = settings.REST_FRAMEWORK
        rates = {**rest_framework["DEFAULT_THROTTLE_RATES"], "user": rate}
        settings.REST_FRAMEWORK = {**rest_framework, "DEFAULT_THROTTLE_RATES": rates}

    return set_rate


def _signed_in(person: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person)
    return client


def test_requests_beyond_the_rate_wait_until_the_window_that_the_first_one_opened_ends(
    user_rate, employee
):
    user_rate("3/s")
    client = _signed_in(employee)

    answers = [client.get("/api/v1/me/") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1]["Retry-After"] == "1"
    time.sleep(1.1)
    assert client.get("/api/v1/me/").status_code == 200


def test_each_person_has_their_own_allowance(user_rate, employee, manager):
    user_rate("1/min")

    assert _signed_in(employee).get("/api/v1/me/").status_code == 200
    assert _signed_in(employee).get("/api/v1/me/").status_code == 429
    assert _signed_in(manager).get("/api/v1/me/").status_code == 200


def test_a_throttled_minute_says_how_long_is_left_of_it(user_rate, employee):
    user_rate("1/min")
    client = _signed_in(employee)
    client.get("/api/v1/me/")

    refused = client.get("/api/v1/me/")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429


@pytest.mark.redis
def test_a_busy_client_costs_one_small_counter_not_a_list_of_every_request():
    """DRF's own throttle stores every request time; 6,000/min would mean 6,000 floats."""
    for _ in range(500):
        count, left = count_in_window("throttle_user_7", 60)

    assert count == 500
    assert 59 < left <= 60
    client = cache._cache.get_client()  # type: ignore[attr-defined]
    assert client.get(cache.make_key("throttle_user_7")) == b"500"
    assert 59 <= client.ttl(cache.make_key("throttle_user_7")) <= 60


def _bearer(person: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(person)}")
    return client


def test_a_token_request_counts_once_against_its_person(user_rate, employee, manager):
    """The authentication hits the counter as it finds the person; the throttle must
    take that count, not hit the counter a second time."""
    user_rate("2/min")
    client = _bearer(employee)

    answers = [client.get("/api/v1/rewards/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert _bearer(manager).get("/api/v1/rewards/").status_code == 200


def test_a_token_redemption_counts_once_against_the_redemption_rate(settings):
    employee = UserFactory(with_points=10)
    rest_framework = settings.REST_FRAMEWORK
    rates = {**rest_framework["DEFAULT_THROTTLE_RATES"], "redeem": "1/min"}
    settings.REST_FRAMEWORK = {**rest_framework, "DEFAULT_THROTTLE_RATES": rates}
    reward = RewardFactory(cost=1, per_user_limit=None)
    client = _bearer(employee)

    first = client.post("/api/v1/redemptions/", {"reward": reward.pk}, format="json")
    second = client.post("/api/v1/redemptions/", {"reward": reward.pk}, format="json")

    assert first.status_code == 201
    assert second.status_code == 429
    assert client.get("/api/v1/redemptions/").status_code == 200  # reads are not redemptions


@pytest.mark.redis
def test_a_cached_catalog_read_makes_one_round_trip_to_redis(employee, monkeypatch):
    """Finding the caller, counting their request and fetching the page travel together."""
    RewardFactory(name="Mug")
    client = _bearer(employee)
    assert client.get("/api/v1/rewards/").status_code == 200
    assert client.get("/api/v1/rewards/").status_code == 200  # the caller is cached now
    sent: list[bytes] = []
    send = Connection.send_packed_command

    def counting(self: Connection, command: Any, *args: Any, **kwargs: Any) -> None:
        sent.append(command)
        send(self, command, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    response = client.get("/api/v1/rewards/")

    assert response.status_code == 200
    assert [reward["name"] for reward in response.json()["results"]] == ["Mug"]
    assert len(sent) == 1, sent
