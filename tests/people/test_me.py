"""GET /me/: the caller, their own salary, and their points."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.ledger.models import TransactionKind
from plaudit.ledger.services import post_transaction
from tests.factories import UserFactory
from tests.ledger.accounts import allowance_account, balance_account

pytestmark = pytest.mark.django_db


def test_me_is_the_caller_with_the_person_fields_salary_and_points(client_for, report):
    response = client_for(report).get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "employee_id",
        "department",
        "title",
        "role",
        "manager",
        "hire_date",
        "is_active",
        "salary",
        "points",
        "language",
        "time_zone",
    }
    assert body["id"] == report.pk
    assert body["email"] == report.email
    assert body["manager"] == report.manager_id
    assert body["department"] == "Engineering"


def test_me_shows_everyone_their_own_salary_as_a_decimal_string(client_for):
    person = UserFactory(salary="61234.50")

    assert client_for(person).get("/api/v1/me/").json()["salary"] == "61234.50"


def test_me_shows_the_balance_and_the_allowance_remaining(client_for, settings):
    person = UserFactory(with_points=250)

    points = client_for(person).get("/api/v1/me/").json()["points"]

    assert points == {
        "balance": 250,
        "allowance_remaining": settings.PLAUDIT["MONTHLY_ALLOWANCE"],
    }


def test_a_managers_allowance_is_the_manager_allowance(client_for, manager, settings):
    points = client_for(manager).get("/api/v1/me/").json()["points"]

    assert points["allowance_remaining"] == settings.PLAUDIT["MANAGER_MONTHLY_ALLOWANCE"]


def test_the_allowance_remaining_drops_by_what_was_given_this_month(client_for, employee, settings):
    colleague = UserFactory()
    post_transaction(
        kind=TransactionKind.RECOGNITION,
        legs=[(allowance_account(employee), -30), (balance_account(colleague), 30)],
    )

    points = client_for(employee).get("/api/v1/me/").json()["points"]

    assert points["allowance_remaining"] == settings.PLAUDIT["MONTHLY_ALLOWANCE"] - 30
    assert client_for(colleague).get("/api/v1/me/").json()["points"]["balance"] == 30


def test_a_new_person_has_a_zero_balance(client_for, employee):
    assert client_for(employee).get("/api/v1/me/").json()["points"]["balance"] == 0


def test_me_needs_a_signed_in_caller(client_for):
    response = client_for(None).get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_me_with_a_token_is_one_query_whatever_the_history_then_none(
    django_assert_num_queries, settings
):
    """The person (and department) come with the authentication, from its cache; their
    balance and this month's giving are one query, then cached until their accounts move."""
    from plaudit.recognition.services import Gift, give_recognition

    person = UserFactory(with_points=40)
    for _ in range(3):
        give_recognition(giver=person, message="Thanks", gifts=[Gift(UserFactory(), 5)])
    cache.delete(f"auth:user:{person.pk}")  # as if the last change were minutes ago
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(person)}")
    assert client.get("/api/v1/rewards/").status_code == 200  # caches the person only

    with django_assert_num_queries(1):
        assert client.get("/api/v1/me/").status_code == 200
    with django_assert_num_queries(0):
        me = client.get("/api/v1/me/").json()

    assert me["department"] == person.department.name
    assert me["points"] == {
        "balance": 40,
        "allowance_remaining": settings.PLAUDIT["MONTHLY_ALLOWANCE"] - 15,
    }
