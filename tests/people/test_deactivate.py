"""HR deactivates a person (DELETE /people/{id}/): they can no longer sign in; history stays."""

import pytest
from rest_framework.test import APIClient

from plaudit.ledger.models import Entry
from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User
from plaudit.rewards.models import Redemption
from tests.factories import TEST_PASSWORD, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_hr_deactivates_a_person_with_a_204(client_for, hr_admin, employee):
    response = client_for(hr_admin).delete(f"/api/v1/people/{employee.pk}/")

    assert response.status_code == 204
    assert response.content == b""
    employee.refresh_from_db()
    assert employee.is_active is False


def test_the_person_is_kept_not_deleted(client_for, hr_admin, employee):
    client_for(hr_admin).delete(f"/api/v1/people/{employee.pk}/")

    assert User.objects.filter(pk=employee.pk).exists()


def test_a_deactivated_person_can_no_longer_get_a_token(client_for, hr_admin, employee):
    client_for(hr_admin).delete(f"/api/v1/people/{employee.pk}/")

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": employee.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 401


def test_a_deactivated_person_can_no_longer_sign_in_with_a_session(client_for, hr_admin, employee):
    client_for(hr_admin).delete(f"/api/v1/people/{employee.pk}/")

    assert APIClient().login(email=employee.email, password=TEST_PASSWORD) is False


def test_their_points_and_redemptions_stay(client_for, hr_admin):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)
    client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})

    client_for(hr_admin).delete(f"/api/v1/people/{person.pk}/")

    assert balance_of(person) == 400
    assert Redemption.objects.filter(user=person).count() == 1
    entries = client_for(hr_admin).get(f"/api/v1/points/entries/?user={person.pk}").json()
    assert [entry["amount"] for entry in entries["results"]] == [-100, 500]
    assert Entry.objects.filter(account__owner=person).exists()


def test_hr_still_sees_a_deactivated_persons_redemptions(client_for, hr_admin):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)
    redemption = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}).json()

    client_for(hr_admin).delete(f"/api/v1/people/{person.pk}/")

    response = client_for(hr_admin).get(f"/api/v1/redemptions/{redemption['id']}/")
    assert response.status_code == 200


def test_deactivating_twice_is_harmless(client_for, hr_admin, employee):
    client = client_for(hr_admin)
    client.delete(f"/api/v1/people/{employee.pk}/")

    response = client.delete(f"/api/v1/people/{employee.pk}/")

    assert response.status_code == 204
    employee.refresh_from_db()
    assert employee.is_active is False


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_deactivate(client_for, role, employee):
    caller = UserFactory(role=role)

    response = client_for(caller).delete(f"/api/v1/people/{employee.pk}/")

    assert response.status_code == 403
    employee.refresh_from_db()
    assert employee.is_active is True


def test_a_manager_may_not_deactivate_their_report(client_for, manager, report):
    response = client_for(manager).delete(f"/api/v1/people/{report.pk}/")

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.is_active is True


def test_deactivating_an_unknown_person_is_a_404(client_for, hr_admin):
    response = client_for(hr_admin).delete("/api/v1/people/987654/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_deactivated_person_cannot_be_granted_points(client_for, hr_admin, employee):
    client_for(hr_admin).delete(f"/api/v1/people/{employee.pk}/")

    response = client_for(hr_admin).post(
        "/api/v1/points/grants/", {"user": employee.pk, "amount": 10, "reason": "Late bonus"}
    )

    assert response.status_code == 400
    assert "user" in response.json()["errors"]
    assert balance_of(employee) == 0


def test_an_hr_admin_cannot_deactivate_themselves(client_for, hr_admin):
    response = client_for(hr_admin).delete(f"/api/v1/people/{hr_admin.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "cannot_deactivate_yourself"
    hr_admin.refresh_from_db()
    assert hr_admin.is_active is True
