"""/api/v1/audit/: HR reads the log, filtered, newest first, page by page (cursor)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.audit.services import record

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/"


def test_only_hr_admins_read_the_log(employee, manager, hr_admin, client_for):
    record("auth.signed_in", actor=employee)

    assert client_for(employee).get(URL).status_code == 403
    assert client_for(manager).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 401
    [row] = client_for(hr_admin).get(URL).json()["results"]
    assert row["action"] == "auth.signed_in"
    assert row["action_label"] == "Signed in"
    assert row["actor_email"] == employee.email


def test_filters_by_actor_action_family_and_day(employee, manager, hr_admin, client_for):
    record("token.created", actor=employee)
    record("token.revoked", actor=employee)
    record("auth.signed_in", actor=manager)
    record("auth.signed_in", actor=employee)
    client = client_for(hr_admin)

    by_actor = client.get(URL, {"actor": employee.pk}).json()["results"]
    by_family = client.get(URL, {"action": "token"}).json()["results"]
    by_code = client.get(URL, {"action": "token.created"}).json()["results"]
    today = timezone.localdate().isoformat()
    by_day = client.get(URL, {"since": today, "until": today}).json()["results"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    none = client.get(URL, {"since": tomorrow}).json()["results"]

    assert {row["actor"] for row in by_actor} == {employee.pk}
    assert {row["action"] for row in by_family} == {"token.created", "token.revoked"}
    assert [row["action"] for row in by_code] == ["token.created"]
    assert len(by_day) == 4
    assert none == []


def test_a_bad_filter_is_a_400_problem(hr_admin, client_for):
    response = client_for(hr_admin).get(URL, {"since": "yesterday"})

    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_pages_by_cursor_newest_first(hr_admin, client_for):
    for n in range(5):
        record("auth.signed_in", actor=hr_admin, n=n)
    client = client_for(hr_admin)

    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [row["details"]["n"] for row in first["results"]] == [4, 3]
    assert [row["details"]["n"] for row in second["results"]] == [2, 1]


def test_the_log_costs_the_same_queries_however_long(
    hr_admin, client_for, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    for _ in range(30):
        record("auth.signed_in", actor=hr_admin)

    with django_assert_max_num_queries(3):
        client.get(URL)


def test_the_api_cannot_change_the_log(hr_admin, client_for):
    event = record("auth.signed_in", actor=hr_admin)
    client = client_for(hr_admin)

    assert client.delete(f"{URL}{event.pk}/").status_code == 405
    assert client.patch(f"{URL}{event.pk}/", {"action": "x"}).status_code == 405
    assert client.post(URL, {"action": "x"}).status_code == 405
