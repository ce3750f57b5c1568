"""Fuzz every documented operation as every role: no 5xx, and answers match the schema.

schemathesis generates valid and invalid requests from ``/api/schema/`` and sends
them through the WSGI application in-process. Run with ``make hardening`` (CI does).
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import AccessToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plaudit.people.models import User
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = [pytest.mark.hardening, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open() -> Iterator[None]:
    """Requests go straight into the WSGI app, not through Django's test client, so do
    what that client does: keep ``close_old_connections`` from closing the connection
    that holds the test's transaction at each request's start and end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def people() -> dict[str, User | None]:
    """A small company with something to read, approve and redeem for every role."""
    manager = ManagerFactory(with_points=5000)
    employee = UserFactory(manager=manager, with_points=5000)
    hr_admin = HRAdminFactory(with_points=5000)
    deactivated = UserFactory(is_active=False)
    RewardFactory(cost=10, stock=100, per_user_limit=None)
    return {
        "anonymous": None,
        "employee": employee,
        "manager": manager,
        "hr_admin": hr_admin,
        "deactivated": deactivated,
    }


@pytest.fixture
def headers_by_role(people: dict[str, User | None]) -> dict[str, dict[str, str]]:
    """Each generated request is sent once per role: anonymous, employee, ..., deactivated."""
    return {
        role: {"Authorization": f"Bearer {AccessToken.for_user(person)}"} if person else {}
        for role, person in people.items()
    }


# Loaded at collection from the app itself (anonymous, no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_fails_or_breaks_its_schema(
    case: Any, headers_by_role: dict[str, dict[str, str]]
) -> None:
    for headers in headers_by_role.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
