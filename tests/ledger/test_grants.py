"""HR grants points (POST /points/grants/): 1 to 1,000,000, redeemable at once."""

from typing import Any

import pytest

from plaudit.ledger.models import Transaction
from plaudit.ledger.selectors import balance_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GRANTS_URL = "/api/v1/points/grants/"


def _grant(client: Any, **body: Any) -> Any:
    return client.post(GRANTS_URL, body)


def test_a_grant_is_a_201_and_the_balance_grows_at_once(client_for, hr_admin, employee):
    response = _grant(client_for(hr_admin), user=employee.pk, amount=250, reason="Launch")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"] == employee.pk
    assert body["amount"] == 250
    assert body["reason"] == "Launch"
    assert balance_of(employee) == 250
    assert client_for(employee).get("/api/v1/me/").json()["points"]["balance"] == 250


def test_grants_add_up(client_for, hr_admin):
    person = UserFactory(with_points=100)

    _grant(client_for(hr_admin), user=person.pk, amount=50, reason="More")

    assert balance_of(person) == 150


@pytest.mark.parametrize("amount", [1, 1_000_000])
def test_the_smallest_and_largest_grants_are_accepted(client_for, hr_admin, employee, amount):
    response = _grant(client_for(hr_admin), user=employee.pk, amount=amount, reason="Edge")

    assert response.status_code == 201
    assert balance_of(employee) == amount


@pytest.mark.parametrize(
    "amount",
    [0, -1, -500, 1_000_001, 10**30, "ten", "", "100", 12.5, 100.0, True, None, [100], {"n": 1}],
    ids=repr,
)
def test_an_amount_that_is_not_a_whole_number_from_1_to_a_million_is_refused(
    client_for, hr_admin, employee, amount
):
    response = _grant(client_for(hr_admin), user=employee.pk, amount=amount, reason="Nope")

    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert "amount" in response.json()["errors"]
    assert balance_of(employee) == 0
    assert not Transaction.objects.exists()


def test_a_missing_amount_is_refused(client_for, hr_admin, employee):
    response = client_for(hr_admin).post(GRANTS_URL, {"user": employee.pk, "reason": "Why"})

    assert response.status_code == 400
    assert "amount" in response.json()["errors"]


@pytest.mark.parametrize("reason", [None, "", "   "], ids=repr)
def test_a_grant_needs_a_reason(client_for, hr_admin, employee, reason):
    body: dict[str, Any] = {"user": employee.pk, "amount": 10}
    if reason is not None:
        body["reason"] = reason

    response = client_for(hr_admin).post(GRANTS_URL, body)

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert balance_of(employee) == 0


@pytest.mark.parametrize("user", [987654, 10**30, "abc", None, 1.5], ids=repr)
def test_a_grant_to_an_unknown_person_is_refused(client_for, hr_admin, user):
    response = _grant(client_for(hr_admin), user=user, amount=10, reason="Who?")

    assert response.status_code == 400
    assert "user" in response.json()["errors"]
    assert not Transaction.objects.exists()


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_grant(client_for, role):
    caller = UserFactory(role=role)

    response = _grant(client_for(caller), user=caller.pk, amount=10, reason="For me")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert balance_of(caller) == 0


def test_an_anonymous_grant_is_a_401(client_for, employee):
    response = _grant(client_for(None), user=employee.pk, amount=10, reason="Hi")

    assert response.status_code == 401
    assert balance_of(employee) == 0


def test_a_grant_appears_as_a_grant_line_with_its_reason(client_for, hr_admin, employee):
    _grant(client_for(hr_admin), user=employee.pk, amount=40, reason="Quarter close")

    entries = client_for(employee).get("/api/v1/points/entries/").json()["results"]

    assert len(entries) == 1
    assert entries[0]["amount"] == 40
    assert entries[0]["kind"] == "grant"
    assert entries[0]["description"] == "Quarter close"
