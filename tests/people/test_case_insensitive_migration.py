"""The migration that makes emails and department names unique ignoring letter case,
run over rows that break the new rule (people/migrations/0002)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plaudit.people.models import Department, User

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("people", "0001_initial")]
AFTER = [("people", "0002_case_insensitive_email_and_department")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    """The people tables before the migration; every app is migrated fully afterwards."""
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_departments_differing_only_by_case_merge_into_the_oldest(old_apps):
    OldDepartment = old_apps.get_model("people", "Department")
    OldUser = old_apps.get_model("people", "User")
    research = OldDepartment.objects.create(name="Research")
    others = [OldDepartment.objects.create(name=name) for name in ("research", "RESEARCH")]
    for n, department in enumerate([research, *others]):
        OldUser.objects.create(email=f"p{n}@example.com", department=department)

    migrate(AFTER)

    assert list(Department.objects.filter(name__iexact="research")) == [
        Department.objects.get(pk=research.pk)
    ]
    assert User.objects.filter(department_id=research.pk).count() == 3


def test_emails_differing_only_by_case_stop_the_migration_and_are_named(old_apps):
    OldUser = old_apps.get_model("people", "User")
    first = OldUser.objects.create(email="ada@example.com")
    second = OldUser.objects.create(email="ADA@example.com")

    with pytest.raises(RuntimeError) as stopped:
        migrate(AFTER)

    assert f"ada@example.com: people {first.pk}, {second.pk}" in str(stopped.value)
    assert "Nothing was changed" in str(stopped.value)
    assert set(User.objects.values_list("email", flat=True)) == {
        "ada@example.com",
        "ADA@example.com",
    }
    User.objects.filter(pk=second.pk).update(email="ada.lovelace@example.com")
    migrate(AFTER)  # with the clash resolved, it goes through
