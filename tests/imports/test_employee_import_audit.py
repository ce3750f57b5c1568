"""An employee import leaves its facts in the audit log: the import, each role it changed."""

import pytest

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from tests.factories import UserFactory

from .conftest import csv_text, employee_row

pytestmark = pytest.mark.django_db


def test_an_import_records_itself_role_changes_and_new_hr_admins(run_import):
    UserFactory(employee_id="E1", role="employee")

    job = run_import(
        csv_text([employee_row("E1", role="manager"), employee_row("E2", role="hr_admin")])
    )

    assert job["status"] == "succeeded"
    [imported] = AuditEvent.objects.filter(action=actions.PEOPLE_IMPORTED)
    assert (imported.details["created"], imported.details["updated"]) == (1, 1)
    [changed] = AuditEvent.objects.filter(action=actions.ROLE_CHANGED)
    assert (changed.details["role_from"], changed.details["role_to"]) == ("employee", "manager")
    assert changed.details["via"] == "import"
    [hired] = AuditEvent.objects.filter(action=actions.PERSON_CREATED)
    assert hired.details["role"] == "hr_admin"
