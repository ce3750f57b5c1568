"""The admin for people: who gets in, who sees salaries, and the deactivate action."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from plaudit.people.errors import CannotDeactivateYourself
from tests.factories import HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_is_closed_to_staff_without_a_role_that_needs_it(employee):
    employee.is_staff = True
    employee.save()

    response = _admin_client(employee).get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_hr_admin_with_staff_access_opens_the_people_list_and_sees_salaries():
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    UserFactory(first_name="Ada", salary=123456)

    page = _admin_client(hr).get("/admin/people/user/").content.decode()

    assert "Ada" in page
    assert "123456" in page


def test_a_staff_manager_with_view_rights_does_not_see_salaries():
    manager = ManagerFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="view_user"))
    person = UserFactory(first_name="Ada", salary=123456)
    client = _admin_client(manager)

    listing = client.get("/admin/people/user/")
    detail = client.get(f"/admin/people/user/{person.pk}/change/")

    assert listing.status_code == 200
    assert "Ada" in listing.content.decode()
    assert "123456" not in listing.content.decode()
    assert detail.status_code == 200
    assert "123456" not in detail.content.decode()


def test_the_people_list_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    boss = ManagerFactory()
    UserFactory.create_batch(30, manager=boss)
    client = _admin_client(hr)

    with django_assert_max_num_queries(12):
        assert client.get("/admin/people/user/").status_code == 200


def test_the_deactivate_action_deactivates_through_the_service():
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    people = UserFactory.create_batch(2)

    response = _admin_client(hr).post(
        "/admin/people/user/",
        {"action": "deactivate", "_selected_action": [p.pk for p in people]},
    )

    assert response.status_code == 302
    for person in people:
        person.refresh_from_db()
        assert person.is_active is False


def test_the_deactivate_action_leaves_the_admin_who_runs_it_active():
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    other = UserFactory()

    response = _admin_client(hr).post(
        "/admin/people/user/",
        {"action": "deactivate", "_selected_action": [hr.pk, other.pk]},
        follow=True,
    )

    hr.refresh_from_db()
    other.refresh_from_db()
    assert (hr.is_active, other.is_active) == (True, False)
    assert "Left active: " in response.content.decode()
    assert str(CannotDeactivateYourself.default_detail) in response.content.decode()


def test_a_reporting_loop_is_refused_beside_the_manager_field():
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    boss = ManagerFactory()
    report = UserFactory(manager=boss)
    client = _admin_client(hr)
    form = client.get(f"/admin/people/user/{boss.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "groups"}
    data.update(manager=report.pk, department=boss.department_id, password="x")

    response = client.post(f"/admin/people/user/{boss.pk}/change/", data)

    assert response.status_code == 200
    assert "loop back" in response.content.decode()
    boss.refresh_from_db()
    assert boss.manager_id is None


def test_the_admin_sign_in_goes_through_allauth_so_a_password_alone_is_not_enough():
    """An HR admin with an authenticator app cannot skip it through /admin/login/."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import TEST_PASSWORD

    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    TOTP.activate(hr, generate_totp_secret())
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": hr.email, "password": TEST_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
