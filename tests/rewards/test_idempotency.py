"""Idempotency-Key on POST /redemptions/: a retried request is answered, not repeated."""

from typing import Any

import pytest

from plaudit.ledger.selectors import balance_of
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.rewards.models import Redemption, Reward
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    return UserFactory(with_points=500)


@pytest.fixture
def reward() -> Reward:
    return RewardFactory(cost=100, stock=10, per_user_limit=None)


def _redeem(client_for: Any, person: User, reward_id: Any, key: str | None) -> Any:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client_for(person).post("/api/v1/redemptions/", {"reward": reward_id}, **headers)


def _stock(reward: Reward) -> int | None:
    reward.refresh_from_db()
    return reward.stock


def test_the_first_answer_is_not_marked_as_a_replay(client_for, person, reward):
    response = _redeem(client_for, person, reward.pk, "order-1")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_the_same_key_and_body_replay_the_first_answer_and_nothing_new_happens(
    client_for, person, reward
):
    first = _redeem(client_for, person, reward.pk, "order-1")

    again = _redeem(client_for, person, reward.pk, "order-1")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Redemption.objects.filter(user=person).count() == 1
    assert balance_of(person) == 400
    assert _stock(reward) == 9


def test_a_replay_is_the_same_however_often_it_is_asked(client_for, person, reward):
    first = _redeem(client_for, person, reward.pk, "order-1").json()

    replays = [_redeem(client_for, person, reward.pk, "order-1").json() for _ in range(3)]

    assert replays == [first, first, first]
    assert balance_of(person) == 400


def test_a_replay_returns_the_original_answer_even_after_the_redemption_moved_on(
    client_for, person, reward
):
    first = _redeem(client_for, person, reward.pk, "order-1").json()
    client_for(person).post(f"/api/v1/redemptions/{first['id']}/cancel/")

    again = _redeem(client_for, person, reward.pk, "order-1")

    assert again.json() == first
    assert again.json()["status"] == "pending"
    assert Redemption.objects.filter(user=person).count() == 1


def test_a_new_key_is_a_new_redemption(client_for, person, reward):
    _redeem(client_for, person, reward.pk, "order-1")

    response = _redeem(client_for, person, reward.pk, "order-2")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert balance_of(person) == 300


def test_without_a_key_every_request_redeems_again(client_for, person, reward):
    _redeem(client_for, person, reward.pk, None)
    _redeem(client_for, person, reward.pk, None)

    assert balance_of(person) == 300


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(client_for, person, reward):
    other = RewardFactory(cost=50)
    _redeem(client_for, person, reward.pk, "order-1")

    response = _redeem(client_for, person, other.pk, "order-1")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Idempotent-Replayed" not in response
    assert Redemption.objects.filter(user=person).count() == 1
    assert balance_of(person) == 400
    assert not Redemption.objects.filter(reward=other).exists()


def test_a_key_belongs_to_one_person(client_for, person, reward):
    someone_else = UserFactory(with_points=500)
    _redeem(client_for, person, reward.pk, "order-1")

    response = _redeem(client_for, someone_else, reward.pk, "order-1")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert balance_of(someone_else) == 400
    assert Redemption.objects.filter(user=someone_else).count() == 1


def test_another_persons_same_key_with_another_body_is_not_a_conflict(client_for, person, reward):
    other = RewardFactory(cost=50)
    someone_else = UserFactory(with_points=500)
    _redeem(client_for, person, reward.pk, "order-1")

    assert _redeem(client_for, someone_else, other.pk, "order-1").status_code == 201


def test_a_refusal_is_replayed_too_even_once_it_would_succeed(client_for, reward):
    poor = UserFactory(with_points=10)
    first = _redeem(client_for, poor, reward.pk, "order-1")
    grant_points(user=poor, amount=500, reason="Top-up", granted_by=None)

    again = _redeem(client_for, poor, reward.pk, "order-1")

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert again.json()["code"] == "insufficient_points"
    assert again["Content-Type"] == "application/problem+json"
    assert again["Idempotent-Replayed"] == "true"
    assert not poor.redemptions.exists()
    assert balance_of(poor) == 510


def test_a_validation_refusal_is_replayed_too(client_for, person):
    first = _redeem(client_for, person, 987654, "order-1")

    again = _redeem(client_for, person, 987654, "order-1")

    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, "tab\there", "bell\x07", "new\nline", "del\x7f"],
    ids=["empty", "256_chars", "tab", "bell", "newline", "delete"],
)
def test_an_invalid_key_is_a_400_and_nothing_happens(client_for, person, reward, key):
    response = _redeem(client_for, person, reward.pk, key)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_idempotency_key"
    assert balance_of(person) == 500
    assert not person.redemptions.exists()


@pytest.mark.parametrize("key", ["k", "k" * 255, "order 42 / retry #1 ~!@"], ids=repr)
def test_keys_of_1_to_255_printable_characters_are_accepted(client_for, person, reward, key):
    assert _redeem(client_for, person, reward.pk, key).status_code == 201
    assert _redeem(client_for, person, reward.pk, key)["Idempotent-Replayed"] == "true"
    assert balance_of(person) == 400
