from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.recognition.models import Award
from tests.factories import HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/team/"


def test_a_manager_sees_what_each_report_received_and_gave_this_period(client_for, give):
    manager = ManagerFactory()
    ana = UserFactory(manager=manager, last_name="A")
    bo = UserFactory(manager=manager, last_name="B")
    outsider = UserFactory()
    give(outsider, {ana: 30})
    give(ana, {outsider: 12, bo: 3})
    old = give(outsider, {bo: 40})
    Award.objects.filter(recognition=old).update(created_at=timezone.now() - timedelta(days=400))

    body = client_for(manager).get(URL).json()

    assert [(m["id"], m["received"], m["given"]) for m in body["results"]] == [
        (ana.pk, 30, 15),
        (bo.pk, 3, 0),
    ]
    assert body["totals"] == {"received": 33, "given": 15}
    all_time = client_for(manager).get(URL, {"period": "all"}).json()
    assert all_time["totals"] == {"received": 73, "given": 15}


def test_employees_cannot_see_team_points(client_for):
    response = client_for(UserFactory()).get(URL)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_hr_admins_may_look_at_any_managers_team_and_managers_only_at_their_own(client_for, give):
    manager, other_manager = ManagerFactory(), ManagerFactory()
    report = UserFactory(manager=manager)
    give(UserFactory(), {report: 7})

    by_hr = client_for(HRAdminFactory()).get(URL, {"manager": manager.pk})
    by_peer = client_for(other_manager).get(URL, {"manager": manager.pk})

    assert by_hr.json()["results"][0]["received"] == 7
    assert by_peer.status_code == 403


def test_team_points_run_one_query_however_big_the_team(
    client_for, give, django_assert_num_queries
):
    manager = ManagerFactory()
    UserFactory.create_batch(2, manager=manager)
    with django_assert_num_queries(1):
        client_for(manager).get(URL)
    UserFactory.create_batch(10, manager=manager)
    with django_assert_num_queries(1):
        assert len(client_for(manager).get(URL).json()["results"]) == 12
