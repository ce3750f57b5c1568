import pytest

from plaudit.ledger.selectors import balance_of
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
