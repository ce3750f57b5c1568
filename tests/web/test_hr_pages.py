"""HR's people directory and reports."""

import pytest

from plaudit.rewards.services import redeem_reward
from tests.factories import DepartmentFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_directory_searches_by_name_and_shows_salaries_to_hr(page_client, hr_admin):
    UserFactory(first_name="Ada", last_name="Lovelace", salary=123456)
    UserFactory(first_name="Grace", last_name="Hopper")

    page = page_client(hr_admin).get("/hr/people/", {"q": "lovelace"}).content.decode()

    assert "Ada Lovelace" in page
    assert "Grace Hopper" not in page
    assert "123,456" in page


def test_the_directory_hides_deactivated_people_unless_asked(page_client, hr_admin):
    UserFactory(first_name="Gone", last_name="Person", is_active=False)
    client = page_client(hr_admin)

    default = client.get("/hr/people/").content.decode()
    with_inactive = client.get("/hr/people/", {"include_inactive": "on"}).content.decode()

    assert "Gone Person" not in default
    assert "Gone Person" in with_inactive


def test_reports_chart_points_redeemed_per_department(page_client, hr_admin):
    sales = DepartmentFactory(name="Sales")
    seller = UserFactory(department=sales, with_points=500)
    redeem_reward(user=seller, reward_id=RewardFactory(cost=120).pk)

    page = page_client(hr_admin).get("/hr/reports/").content.decode()

    assert "<svg" in page
    assert "Sales" in page
    assert "120 points" in page


def test_the_reports_page_runs_a_fixed_number_of_queries(
    page_client, hr_admin, django_assert_max_num_queries
):
    client = page_client(hr_admin)
    for index in range(5):
        person = UserFactory(department=DepartmentFactory(name=f"D{index}"), with_points=500)
        redeem_reward(user=person, reward_id=RewardFactory(cost=100).pk)

    with django_assert_max_num_queries(12):
        assert client.get("/hr/reports/").status_code == 200
