"""scim2-tester, the RFC 7643/7644 compliance checker, against a live Plaudit server.

Django's live server (pytest-django's ``live_server``) serves /scim/v2/ over real
HTTP; the checker discovers the service from its ServiceProviderConfig, ResourceTypes
and Schemas, then creates, reads, queries, replaces, patches and deletes Users and
Groups of its own making with random values for every attribute the schemas publish.
No check may fail, but one that does not apply to Plaudit (listed below, asserted
exactly, so it cannot hide another failure).

Inapplicable:

- ``User check_remove_attribute`` on ``active``: the checker removes ``active`` and
  expects it unassigned. A person in Plaudit is active or not; there is no third
  state. The server refuses the removal with a 400 ``mutability`` error and tells the
  provider to set ``active: false`` instead (RFC 7643 §4.1.1 leaves the meaning of
  ``active`` to the service provider). Neither Entra ID nor Okta ever removes it.
"""

from typing import Any

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from plaudit.tokens.services import create_token

from ..factories import HRAdminFactory

FAILED = {Status.ERROR, Status.CRITICAL}


def inapplicable(result: Any) -> bool:
    data = result.data if isinstance(result.data, dict) else {}
    error = data.get("error")
    return (
        result.resource_type == "User"
        and result.title == "check_remove_attribute"
        and data.get("urn") == "active"
        and getattr(error, "scim_type", None) == "mutability"
    )


@pytest.fixture
def checker_client(live_server: Any) -> Any:
    owner = HRAdminFactory(email="it-admin@example.com")
    token = create_token(actor=owner, name="scim2-tester", scopes=["scim"], kind="service")
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2/",
        headers={"Authorization": f"Bearer {token.secret}"},
        timeout=30,
    )
    yield SyncSCIMClient(http)
    http.close()


def test_scim2_tester_finds_no_failure(checker_client: Any) -> None:
    results = check_server(checker_client)

    failures = [
        f"{result.resource_type or '-'} {result.title}: {result.reason}"
        for result in results
        if result.status in FAILED and not inapplicable(result)
    ]
    assert not failures, "\n".join(failures)
    assert len([result for result in results if inapplicable(result)]) <= 1
    ran = [result for result in results if result.status != Status.SKIPPED]
    assert len(ran) > 30  # discovery and every CRUD check on both resource types
