"""The Django admin works for HR admins: the role gives the admin's permissions through
the "HR admins" group, which every people service keeps in step with the role."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from plaudit.core.errors import NotAllowed
from plaudit.ledger.services import grant_points
from plaudit.people.access import (
    HR_ADMIN_PERMISSIONS,
    HR_ADMINS_GROUP,
    OPERATOR_ONLY_MODELS,
    hr_admins_group,
)
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.people.roster import EmployeeRow, import_employees
from plaudit.people.selectors import people_by_employee_id
from plaudit.people.services import create_person, deactivate_person, update_person
from tests.factories import HRAdminFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def _hire_hr_admin(email: str = "hr@example.com") -> User:
    """An HR admin as HR makes one: through the service, not a superuser."""
    return create_person(actor=None, email=email, first_name="Hana", role=Role.HR_ADMIN)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_group(user: User) -> bool:
    return user.groups.filter(name=HR_ADMINS_GROUP).exists()


def test_an_hr_admin_opens_every_admin_list_and_add_page_theirs_to_use():
    hr = _hire_hr_admin()
    grant_points(user=UserFactory(), amount=50, reason="Welcome", granted_by=hr)
    RewardFactory()
    client = _signed_in(hr)
    request = RequestFactory().get("/admin/")
    request.user = hr
    wrong = []

    index = client.get("/admin/")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        expected = 403 if opts.label_lower in OPERATOR_ONLY_MODELS else 200
        if (status := client.get(changelist).status_code) != expected:
            wrong.append(f"{changelist}: {status}, not {expected}")
        if expected == 200 and model_admin.has_add_permission(request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            if (status := client.get(add).status_code) != 200:
                wrong.append(f"{add}: {status}")

    assert hr.is_staff
    assert not hr.is_superuser
    assert index.status_code == 200
    assert "permission to view or edit anything" not in index.content.decode()
    assert not wrong


def test_every_model_in_the_admin_is_either_hr_s_or_the_operator_s():
    registered = {model._meta.label_lower for model in admin.site._registry}
    group = hr_admins_group()

    assert registered == set(HR_ADMIN_PERMISSIONS) | OPERATOR_ONLY_MODELS
    assert group.permissions.count() == sum(map(len, HR_ADMIN_PERMISSIONS.values()))


def test_hr_sees_ledger_lines_but_may_not_change_them():
    hr = _hire_hr_admin()

    assert hr.has_perm("ledger.view_entry")
    assert not hr.has_perm("ledger.change_entry")
    assert not hr.has_perm("ledger.add_transaction")
    assert not hr.has_perm("people.delete_user")


def test_a_demoted_hr_admin_loses_the_group_and_the_admin():
    hr = _hire_hr_admin()
    other = _hire_hr_admin("other@example.com")

    update_person(other, actor=hr, role=Role.MANAGER)
    other.refresh_from_db()

    assert not _in_group(other)
    assert not other.is_staff
    assert _signed_in(other).get("/admin/").status_code == 302


def test_promoting_someone_to_hr_admin_gives_them_the_admin():
    hr = _hire_hr_admin()
    person = UserFactory()

    update_person(person, actor=hr, role=Role.HR_ADMIN)
    person.refresh_from_db()

    assert _in_group(person)
    assert person.is_staff
    assert _signed_in(person).get("/admin/people/user/").status_code == 200


def test_a_deactivated_hr_admin_leaves_the_group_and_returns_with_the_role():
    hr = _hire_hr_admin()
    other = _hire_hr_admin("other@example.com")

    deactivate_person(other, actor=hr)
    other.refresh_from_db()
    left = (_in_group(other), other.is_staff)
    update_person(other, actor=hr, is_active=True)
    other.refresh_from_db()

    assert left == (False, False)
    assert _in_group(other)
    assert other.is_staff


def test_the_employee_import_keeps_the_group_in_step():
    hr = _hire_hr_admin()
    HRAdminFactory(employee_id="E1")  # another HR admin, so the import may demote the first
    old_hr = UserFactory(employee_id="E2", role=Role.HR_ADMIN, is_staff=True)
    Group.objects.get(name=HR_ADMINS_GROUP).user_set.add(old_hr)

    def row(employee_id: str, role: str) -> EmployeeRow:
        return EmployeeRow(
            employee_id, f"{employee_id}@example.com", "A", "B", "", "", role, None, None, None
        )

    known = people_by_employee_id(["E2"])
    import_employees(
        actor=hr, new=[row("E3", Role.HR_ADMIN)], changed=[(known["E2"], row("E2", Role.EMPLOYEE))]
    )
    old_hr.refresh_from_db()
    hired = User.objects.get(employee_id="E3")

    assert not _in_group(old_hr)
    assert not old_hr.is_staff
    assert _in_group(hired)
    assert hired.is_staff


def test_the_admin_form_cannot_take_an_hr_admin_out_of_their_group():
    hr = _hire_hr_admin()
    other = _hire_hr_admin("other@example.com")
    form = {
        "email": other.email,
        "first_name": other.first_name,
        "role": Role.HR_ADMIN,
        "is_active": "on",
        "groups": [],
    }

    response = _signed_in(hr).post(f"/admin/people/user/{other.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _in_group(other)


def test_the_migration_brings_existing_hr_admins_into_the_group():
    migration = importlib.import_module("plaudit.people.migrations.0003_hr_admins_group")
    hr = HRAdminFactory()  # made before the group existed: neither staff nor a member
    employee = UserFactory()

    migration.join_hr_admins(apps, None)
    hr.refresh_from_db()
    employee.refresh_from_db()

    assert _in_group(hr)
    assert hr.is_staff
    assert not _in_group(employee)
    assert not employee.is_staff


def test_hr_cannot_take_over_a_superusers_account():
    hr = _hire_hr_admin()
    operator = User.objects.create_superuser(email="root@example.com", password="x" * 12)
    client = _signed_in(hr)

    password_page = client.get(f"/admin/people/user/{operator.pk}/password/")
    reset = client.post(
        f"/admin/people/user/{operator.pk}/password/",
        {"password1": "taken-over-2026", "password2": "taken-over-2026", "usable_password": "true"},
    )
    with pytest.raises(NotAllowed):
        update_person(operator, actor=hr, email="hr-owned@example.com")
    with pytest.raises(NotAllowed):
        deactivate_person(operator, actor=hr)

    assert password_page.status_code == reset.status_code == 403
    operator.refresh_from_db()
    assert operator.check_password("x" * 12)
    assert (operator.email, operator.is_active) == ("root@example.com", True)


def test_hr_still_sets_a_colleagues_password():
    hr = _hire_hr_admin()
    colleague = UserFactory()

    reset = _signed_in(hr).post(
        f"/admin/people/user/{colleague.pk}/password/",
        {"password1": "a-new-one-2026!", "password2": "a-new-one-2026!", "usable_password": "true"},
    )

    assert reset.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("a-new-one-2026!")


def test_only_a_superuser_puts_people_in_groups():
    hr = _hire_hr_admin()
    operator = User.objects.create_superuser(email="root@example.com", password="x" * 12)

    hr_form = _signed_in(hr).get(f"/admin/people/user/{hr.pk}/change/").content.decode()
    operator_form = _signed_in(operator).get(f"/admin/people/user/{hr.pk}/change/")

    assert 'name="groups"' not in hr_form  # shown read-only
    assert 'name="groups"' in operator_form.content.decode()
