"""The audit log: one call records a fact with its actor, address and request id; rows
never change."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from plaudit.audit.models import AppendOnly, AuditEvent
from plaudit.audit.services import record

pytestmark = pytest.mark.django_db


def test_a_fact_carries_its_actor_target_address_agent_and_details(employee):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="curl/8")

    event = record("people.role_changed", actor=employee, target=employee, request=request, to="hr")

    event.refresh_from_db()
    assert event.actor == employee
    assert event.actor_email == employee.email
    assert (event.target_type, event.target_id) == ("people.user", str(employee.pk))
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "curl/8"
    assert event.details == {"to": "hr"}


def test_an_anonymous_actor_is_recorded_as_nobody():
    event = record("auth.sign_in_failed", actor=None, email="x@example.com")

    assert event.actor is None
    assert event.actor_email == ""


def test_rows_cannot_be_changed_or_deleted_through_django(employee):
    event = record("token.created", actor=employee)

    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(action="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()


def test_the_base_manager_django_uses_behind_the_scenes_refuses_too(employee):
    """Related lookups, deletion cascades and save() go through the base manager."""
    record("token.created", actor=employee)

    with pytest.raises(AppendOnly):
        AuditEvent._base_manager.update(action="x")
    with pytest.raises(AppendOnly):
        AuditEvent._base_manager.all().delete()
    assert AuditEvent.objects.get().action == "token.created"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_an_update_from_any_client(employee):
    event = record("token.created", actor=employee)

    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
