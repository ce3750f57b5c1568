"""HR's page for the single sign-on groups and the roles they give."""

import pytest

from plaudit.people.models import GroupRoleMapping
from plaudit.people.roles import Role
from plaudit.people.services import create_person

pytestmark = pytest.mark.django_db

URL = "/hr/sign-on-groups/"


@pytest.fixture
def hr(db):
    return create_person(actor=None, email="hana@example.com", role=Role.HR_ADMIN)


def test_hr_gives_a_group_a_role_changes_it_and_removes_it(page_client, hr):
    client = page_client(hr)

    added = client.post(URL, {"group": "Plaudit-Managers", "role": "manager"}, follow=True)
    changed = client.post(URL, {"group": "plaudit-managers", "role": "hr_admin"}, follow=True)

    assert "Members of Plaudit-Managers are now Manager" in added.content.decode()
    assert "Members of plaudit-managers are now HR admin" in changed.content.decode()
    mapping = GroupRoleMapping.objects.get()
    assert mapping.role == Role.HR_ADMIN

    removed = client.post(f"/hr/sign-on-groups/{mapping.pk}/remove/", follow=True)

    assert "plaudit-managers no longer gives a role." in removed.content.decode()
    assert not GroupRoleMapping.objects.exists()


def test_a_blank_group_is_shown_again_with_the_error(page_client, hr):
    response = page_client(hr).post(URL, {"group": "", "role": "manager"})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_an_employee_cannot_remove_a_mapping(page_client, employee):
    mapping = GroupRoleMapping.objects.create(group="x", role=Role.MANAGER)

    response = page_client(employee).post(f"/hr/sign-on-groups/{mapping.pk}/remove/")

    assert response.status_code == 403
    assert GroupRoleMapping.objects.filter(pk=mapping.pk).exists()
