"""A person's ledger lines (GET /points/entries/): their own, newest first, signed."""

import datetime

import pytest

from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

ENTRIES_URL = "/api/v1/points/entries/"


def test_entries_are_the_callers_own_lines_newest_first_and_signed(client_for, hr_admin):
    person = UserFactory(with_points=500)
    reward = RewardFactory(name="Mug", cost=120)
    redemption = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}).json()
    client_for(person).post(f"/api/v1/redemptions/{redemption['id']}/cancel/")

    response = client_for(person).get(ENTRIES_URL)

    assert response.status_code == 200
    entries = response.json()["results"]
    assert [(entry["amount"], entry["kind"]) for entry in entries] == [
        (120, "refund"),
        (-120, "redemption"),
        (500, "grant"),
    ]
    assert "Mug" in entries[1]["description"]
    assert set(entries[0]) == {"id", "amount", "kind", "description", "created_at"}


def test_entry_times_are_iso_8601_with_a_time_zone(client_for):
    person = UserFactory(with_points=10)

    created_at = client_for(person).get(ENTRIES_URL).json()["results"][0]["created_at"]

    parsed = datetime.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None


def test_entries_are_a_paginated_list(client_for):
    person = UserFactory(with_points=10)

    body = client_for(person).get(ENTRIES_URL + "?page_size=1").json()

    assert set(body) >= {"next", "previous", "results"}
    assert len(body["results"]) == 1


def test_nobody_sees_anyone_elses_lines(client_for, employee):
    UserFactory(with_points=999)

    assert client_for(employee).get(ENTRIES_URL).json()["results"] == []


def test_hr_reads_a_persons_lines_with_user(client_for, hr_admin):
    person = UserFactory(with_points=70)

    entries = client_for(hr_admin).get(f"{ENTRIES_URL}?user={person.pk}").json()["results"]

    assert [entry["amount"] for entry in entries] == [70]


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_user_is_ignored_for_everyone_but_hr(client_for, role):
    caller = UserFactory(role=role, with_points=5)
    other = UserFactory(manager=caller, with_points=900)

    response = client_for(caller).get(f"{ENTRIES_URL}?user={other.pk}")

    assert response.status_code == 200
    assert [entry["amount"] for entry in response.json()["results"]] == [5]


@pytest.mark.parametrize("value", ["abc", "", "-3", "0", "1.5", str(10**30)], ids=repr)
def test_a_malformed_user_is_a_400_for_hr(client_for, hr_admin, value):
    response = client_for(hr_admin).get(ENTRIES_URL, {"user": value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "user" in response.json()["errors"]


def test_an_unknown_user_is_a_404_for_hr(client_for, hr_admin):
    response = client_for(hr_admin).get(f"{ENTRIES_URL}?user=987654")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_malformed_user_is_ignored_for_everyone_but_hr(client_for, employee):
    assert client_for(employee).get(f"{ENTRIES_URL}?user=abc").status_code == 200


def test_entries_need_a_signed_in_caller(client_for):
    assert client_for(None).get(ENTRIES_URL).status_code == 401
