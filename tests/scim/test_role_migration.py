"""The migration that moves the roles SCIM groups kept into the group-to-role table
single sign-on uses too (scim/migrations/0003), and drops the unused seeded groups."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plaudit.people.models import GroupRoleMapping
from plaudit.scim.models import ScimGroup

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scim", "0002_role_groups"), ("people", "0007_group_role_mapping")]
AFTER = [("scim", "0004_remove_scimgroup_role")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_roles_move_into_the_table_and_unused_seeded_groups_go(old_apps: Any) -> None:
    OldGroup = old_apps.get_model("scim", "ScimGroup")
    OldMapping = old_apps.get_model("people", "GroupRoleMapping")
    OldGroup.objects.create(display_name="Plaudit HR admins", role="hr_admin")  # never used
    OldGroup.objects.create(display_name="Plaudit managers", role="manager", external_id="okta-1")
    OldGroup.objects.create(display_name="Sales", role="manager")
    OldGroup.objects.create(display_name="Chess club", role="")
    OldMapping.objects.create(group="sales", role="hr_admin")  # the table wins

    migrate(AFTER)

    assert sorted(ScimGroup.objects.values_list("display_name", flat=True)) == [
        "Chess club",
        "Plaudit managers",
        "Sales",
    ]
    assert sorted(GroupRoleMapping.objects.values_list("group", "role")) == [
        ("Plaudit managers", "manager"),
        ("sales", "hr_admin"),
    ]
