"""Who counts as an active HR admin is written once, in :mod:`plaudit.people.roles`.

The people services, the employee import's bulk path and the rewards' notifications
all ask it; a copy elsewhere would drift (a superuser forgotten, or a deactivated
admin counted) without any test of those modules noticing.
"""

import re
from pathlib import Path

import pytest

from plaudit.people.models import User
from plaudit.people.roles import ACTIVE_HR_ADMIN, Role, is_active_hr_admin
from plaudit.people.selectors import active_hr_admins
from tests.factories import HRAdminFactory, UserFactory

PLAUDIT = Path(__file__).resolve().parents[2] / "plaudit"
RULE = Path("people/roles.py")
# How the rule is spelled: a query on the role beside the superuser flag, or a test of it.
COPIES = re.compile(
    r"Q\(role=Role\.HR_ADMIN\)|Q\(is_superuser=True\)|is_superuser or [\w.]*role == Role\.HR_ADMIN"
)


def test_nothing_but_the_roles_module_spells_out_who_is_an_active_hr_admin() -> None:
    copies = [
        f"{path.relative_to(PLAUDIT)}:{number}"
        for path in sorted(PLAUDIT.rglob("*.py"))
        if "migrations" not in path.parts and path.relative_to(PLAUDIT) != RULE
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if COPIES.search(line)
    ]

    assert copies == []


@pytest.mark.django_db
def test_the_query_and_the_predicate_agree_on_everyone() -> None:
    people = [
        HRAdminFactory(),
        HRAdminFactory(is_active=False),
        UserFactory(is_superuser=True),
        UserFactory(is_superuser=True, is_active=False),
        UserFactory(role=Role.MANAGER),
    ]

    by_predicate = {
        person.pk
        for person in people
        if is_active_hr_admin(
            is_active=person.is_active, is_superuser=person.is_superuser, role=person.role
        )
    }
    assert by_predicate == {people[0].pk, people[2].pk}
    assert set(active_hr_admins().values_list("pk", flat=True)) == by_predicate
    assert set(User.objects.filter(ACTIVE_HR_ADMIN).values_list("pk", flat=True)) == by_predicate
