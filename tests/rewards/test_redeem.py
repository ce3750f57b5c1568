from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaudit.ledger.selectors import balance_of
from plaudit.rewards.models import Redemption
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_redeeming_debits_the_cost_and_takes_one_from_stock(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=120, stock=3)

    response = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["cost"] == 120
    assert balance_of(person) == 380
    reward.refresh_from_db()
    assert reward.stock == 2


def test_redeeming_without_enough_points_is_refused_and_changes_nothing(client_for):
    person = UserFactory(with_points=50)
    reward = RewardFactory(cost=120, stock=3)

    response = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "insufficient_points"
    assert balance_of(person) == 50
    reward.refresh_from_db()
    assert reward.stock == 3
    assert not person.redemptions.exists()


def _redeem(client_for, person, reward):
    return client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})


def _assert_refused(response, code):
    assert response.status_code == 409, response.json()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["status"] == 409
    assert body["type"]
    assert body["title"]
    assert body["detail"]


def test_a_redemption_answers_with_its_id_reward_cost_status_and_time(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=120)

    body = _redeem(client_for, person, reward).json()

    assert {"id", "reward", "cost", "status", "created_at"} <= set(body)
    assert body["reward"] == reward.pk
    assert body["status"] == "pending"
    assert person.redemptions.get().pk == body["id"]


def test_a_reward_with_unlimited_stock_stays_unlimited(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=None)

    assert _redeem(client_for, person, reward).status_code == 201

    reward.refresh_from_db()
    assert reward.stock is None


def test_the_debit_is_a_redemption_line_in_the_ledger(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(name="Mug", cost=120)

    _redeem(client_for, person, reward)

    latest = client_for(person).get("/api/v1/points/entries/").json()["results"][0]
    assert latest["amount"] == -120
    assert latest["kind"] == "redemption"


def test_spending_the_whole_balance_is_allowed(client_for):
    person = UserFactory(with_points=120)
    reward = RewardFactory(cost=120)

    assert _redeem(client_for, person, reward).status_code == 201
    assert balance_of(person) == 0


def test_a_reward_out_of_stock_is_refused_and_changes_nothing(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=0)

    _assert_refused(_redeem(client_for, person, reward), "out_of_stock")

    assert balance_of(person) == 500
    assert not person.redemptions.exists()


def test_the_last_item_goes_and_the_next_person_finds_it_out_of_stock(client_for):
    first = UserFactory(with_points=500)
    second = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=1)

    assert _redeem(client_for, first, reward).status_code == 201
    _assert_refused(_redeem(client_for, second, reward), "out_of_stock")
    assert balance_of(second) == 500


@pytest.mark.parametrize("status", ["pending", "approved", "fulfilled"])
def test_a_used_up_per_person_limit_is_refused(client_for, status):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=1)
    first = _redeem(client_for, person, reward).json()
    Redemption.objects.filter(pk=first["id"]).update(status=status)

    _assert_refused(_redeem(client_for, person, reward), "already_redeemed")
    assert balance_of(person) == 490
    assert person.redemptions.count() == 1


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_rejected_and_cancelled_redemptions_do_not_use_up_the_limit(client_for, status):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=1)
    first = _redeem(client_for, person, reward).json()
    Redemption.objects.filter(pk=first["id"]).update(status=status)

    assert _redeem(client_for, person, reward).status_code == 201


def test_a_cancelled_redemption_frees_the_limit_through_the_api(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=1)
    first = _redeem(client_for, person, reward).json()
    client_for(person).post(f"/api/v1/redemptions/{first['id']}/cancel/")

    assert _redeem(client_for, person, reward).status_code == 201
    assert balance_of(person) == 490


def test_a_limit_of_two_allows_exactly_two(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=2)

    assert _redeem(client_for, person, reward).status_code == 201
    assert _redeem(client_for, person, reward).status_code == 201
    _assert_refused(_redeem(client_for, person, reward), "already_redeemed")


def test_no_limit_allows_many(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=None)

    statuses = {_redeem(client_for, person, reward).status_code for _ in range(4)}

    assert statuses == {201}
    assert balance_of(person) == 460


def test_the_limit_is_per_person(client_for):
    reward = RewardFactory(cost=10, per_user_limit=1)

    for _ in range(2):
        assert _redeem(client_for, UserFactory(with_points=50), reward).status_code == 201


@pytest.mark.parametrize(
    "unavailable",
    [
        {"is_active": False},
        {"deleted_at": timezone.now()},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"available_from": timezone.now() + timedelta(days=1)},
    ],
    ids=["inactive", "deleted", "expired", "not_yet_open"],
)
def test_an_unavailable_reward_is_refused_and_changes_nothing(client_for, unavailable):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=5, **unavailable)

    _assert_refused(_redeem(client_for, person, reward), "reward_unavailable")

    assert balance_of(person) == 500
    reward.refresh_from_db()
    assert reward.stock == 5
    assert not person.redemptions.exists()


@pytest.mark.parametrize("reward", [987654, 10**30, "1", 1.5, None, True, [1]], ids=repr)
def test_an_unknown_or_malformed_reward_id_is_a_400(client_for, reward):
    person = UserFactory(with_points=500)
    RewardFactory(cost=10)

    response = client_for(person).post("/api/v1/redemptions/", {"reward": reward})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "reward" in response.json()["errors"]
    assert balance_of(person) == 500


def test_an_id_that_names_no_reward_is_a_400_that_says_so(client_for):
    person = UserFactory(with_points=500)

    response = client_for(person).post("/api/v1/redemptions/", {"reward": 987654})

    assert response.status_code == 400
    assert response.json()["errors"] == {"reward": ['Invalid pk "987654" - object does not exist.']}
    assert not person.redemptions.exists()


def test_a_redemption_without_a_reward_is_a_400(client_for):
    person = UserFactory(with_points=500)

    response = client_for(person).post("/api/v1/redemptions/", {})

    assert response.status_code == 400
    assert "reward" in response.json()["errors"]


def test_an_anonymous_redemption_is_a_401(client_for):
    reward = RewardFactory(cost=10)

    assert client_for(None).post("/api/v1/redemptions/", {"reward": reward.pk}).status_code == 401


@pytest.mark.abuse
def test_redemptions_beyond_the_redeem_rate_are_throttled_per_person(client_for, settings):
    rest_framework = settings.REST_FRAMEWORK
    rates = {**rest_framework["DEFAULT_THROTTLE_RATES"], "redeem": "2/min"}
    settings.REST_FRAMEWORK = {**rest_framework, "DEFAULT_THROTTLE_RATES": rates}
    person = UserFactory(with_points=500)
    other = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, per_user_limit=None)

    answers = [_redeem(client_for, person, reward).status_code for _ in range(3)]

    assert answers == [201, 201, 429]
    assert _redeem(client_for, other, reward).status_code == 201
    assert balance_of(person) == 480


def test_a_reward_without_stock_or_limit_is_read_once_per_redemption(client_for):
    """Validation checks the id's shape; the service's read is the only one."""
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=None, per_user_limit=None)
    client = client_for(person)

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 201, response.json()
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "rewards_reward"' in q["sql"]]
    assert len(reads) == 1
    assert balance_of(person) == 490


def test_a_reward_with_stock_is_read_again_under_its_lock(client_for):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=10, stock=5)
    client = client_for(person)

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 201, response.json()
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "rewards_reward"' in q["sql"]]
    assert len(reads) == 2
    if connection.features.has_select_for_update:  # SQLite's transaction holds its one lock
        assert reads[1].endswith("FOR UPDATE")
