"""A SCIM client: an API token with the scim scope, owned by an HR admin."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.people.models import User
from plaudit.tokens.services import create_token

from ..factories import HRAdminFactory

SCIM = "application/scim+json"
BASE = "/scim/v2/"


@pytest.fixture
def scim_owner(db: Any) -> User:
    return HRAdminFactory(email="it-admin@example.com")


@pytest.fixture
def scim_token(scim_owner: User) -> str:
    return create_token(actor=scim_owner, name="okta", scopes=["scim"], kind="service").secret


class ScimClient:
    """Sends what an identity provider sends: SCIM JSON with the bearer token."""

    def __init__(self, token: str) -> None:
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    def _send(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        import json

        url = path if path.startswith("/") else BASE + path
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": SCIM}
        return getattr(self.client, method)(url, **kwargs, **headers)

    def get(self, path: str, **headers: Any) -> Any:
        return self._send("get", path, **headers)

    def post(self, path: str, body: Any, **headers: Any) -> Any:
        return self._send("post", path, body, **headers)

    def put(self, path: str, body: Any, **headers: Any) -> Any:
        return self._send("put", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: Any) -> Any:
        return self._send("patch", path, body, **headers)

    def delete(self, path: str, **headers: Any) -> Any:
        return self._send("delete", path, **headers)


@pytest.fixture
def scim(scim_token: str) -> ScimClient:
    return ScimClient(scim_token)
