"""Every page, for every role: who gets it, who is sent to sign in, who gets a 403 page."""

import pytest

from tests.factories import RewardFactory

pytestmark = pytest.mark.django_db

EVERYONE = [
    "/",
    "/rewards/",
    "/me/redemptions/",
    "/me/points/",
    "/notifications/",
    "/notifications/settings/",
    "/me/tokens/",
]
MANAGERS = ["/team/", "/approvals/"]
HR_ONLY = [
    "/hr/people/",
    "/hr/points/grant/",
    "/hr/reports/",
    "/hr/rewards/new/",
    "/hr/imports/",
    "/hr/tokens/",
    "/hr/audit/",
    "/hr/sign-on-groups/",
]


@pytest.mark.parametrize("url", EVERYONE + MANAGERS + HR_ONLY)
def test_anonymous_visitors_are_sent_to_sign_in_first(page_client, url):
    response = page_client(None).get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", EVERYONE)
def test_every_employee_sees_their_own_pages(page_client, employee, url):
    response = page_client(employee).get(url)

    assert response.status_code == 200
    assert b"<!DOCTYPE html>" in response.content


@pytest.mark.parametrize("url", MANAGERS + HR_ONLY)
def test_an_employee_gets_a_403_page_for_manager_and_hr_pages(page_client, employee, url):
    response = page_client(employee).get(url)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert b"another role" in response.content


@pytest.mark.parametrize("url", EVERYONE + MANAGERS)
def test_a_manager_sees_the_team_and_approvals_pages(page_client, manager, url):
    assert page_client(manager).get(url).status_code == 200


@pytest.mark.parametrize("url", HR_ONLY)
def test_a_manager_gets_a_403_page_for_hr_pages(page_client, manager, url):
    assert page_client(manager).get(url).status_code == 403


@pytest.mark.parametrize("url", EVERYONE + MANAGERS + HR_ONLY)
def test_an_hr_admin_sees_every_page(page_client, hr_admin, url):
    assert page_client(hr_admin).get(url).status_code == 200


def test_the_reward_editor_is_for_hr_admins_only(page_client, employee, hr_admin):
    reward = RewardFactory()
    url = f"/hr/rewards/{reward.pk}/edit/"

    assert page_client(employee).get(url).status_code == 403
    assert page_client(hr_admin).get(url).status_code == 200


def test_the_navigation_shows_only_the_pages_a_role_may_open(page_client, employee, hr_admin):
    employee_page = page_client(employee).get("/").content.decode()
    hr_page = page_client(hr_admin).get("/").content.decode()

    assert 'href="/approvals/"' not in employee_page
    assert 'href="/hr/people/"' not in employee_page
    assert 'href="/approvals/"' in hr_page
    assert 'href="/hr/people/"' in hr_page


def test_an_unknown_page_is_an_html_404_and_an_unknown_api_path_a_problem_document(
    page_client, employee
):
    client = page_client(employee)

    page = client.get("/no-such-page/")
    api = client.get("/api/v1/no-such-thing/")

    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert b"There is no page at this address" in page.content
    assert api.status_code == 404
    assert api["Content-Type"] == "application/problem+json"


def test_a_decision_other_than_approve_or_reject_is_not_a_route(page_client, manager):
    response = page_client(manager).post("/approvals/1/fulfil/")

    assert response.status_code == 404


def test_the_audit_log_export_is_for_hr_admins_only(page_client, employee, manager, hr_admin):
    url = "/hr/audit/export.csv"

    assert page_client(None).get(url)["Location"] == f"/accounts/login/?next={url}"
    assert page_client(employee).get(url).status_code == 403
    assert page_client(manager).get(url).status_code == 403
    assert page_client(hr_admin).get(url).status_code == 200
