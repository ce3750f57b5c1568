"""Tokens' scopes by their owners' roles: a scope opens only its own doors, and only as
far as the owner's role already does.

Each cell sends one request with a token carrying exactly one scope, owned by one role.
Without the scope the route asks for, the answer is a 403 ``insufficient_scope`` whatever
the role; with it, the answer is the role's own (the same as a signed-in session's).
"""

from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.tokens.models import ApiToken
from plaudit.tokens.scopes import Scope
from plaudit.tokens.services import hash_secret
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("employee", "manager", "hr_admin")
SCOPES = [scope.value for scope in Scope]
NONE = None  # no token scope opens this route

# (method, path, the scope it asks for, role → status with that scope)
ROUTES: list[tuple[str, str, str | None, dict[str, int]]] = [
    ("GET", "/api/v1/me/", Scope.READ, {"employee": 200, "manager": 200, "hr_admin": 200}),
    ("GET", "/api/v1/audit/", Scope.READ, {"employee": 403, "manager": 403, "hr_admin": 200}),
    (
        "POST",
        "/api/v1/recognitions/",
        Scope.KUDOS_WRITE,
        {"employee": 201, "manager": 201, "hr_admin": 201},
    ),
    (
        "POST",
        "/api/v1/redemptions/",
        Scope.REDEMPTIONS_WRITE,
        {"employee": 201, "manager": 201, "hr_admin": 201},
    ),
    (
        "PATCH",
        "/api/v1/people/{colleague}/",
        Scope.PEOPLE_ADMIN,
        {"employee": 403, "manager": 403, "hr_admin": 200},
    ),
    # Minting or revoking tokens, granting points: no token may.
    ("POST", "/api/v1/tokens/", NONE, {}),
    ("POST", "/api/v1/points/grants/", NONE, {}),
]


def token_for(owner: Any, scope: str) -> str:
    """A token with exactly ``scope``, made directly: an employee's people:admin token is
    what an HR admin's becomes when they lose the role (the service refuses to make one)."""
    prefix = f"{owner.pk:04d}{SCOPES.index(scope):04d}"
    ApiToken.objects.create(
        owner=owner, name=scope, prefix=prefix, secret_hash=hash_secret("s"), scopes=[scope]
    )
    return f"plaudit_{prefix}_s"


def body(method: str, path: str, world: dict[str, Any]) -> dict[str, Any] | None:
    if path == "/api/v1/recognitions/":
        return {"message": "Thanks", "recipients": [{"user": world["colleague"].pk, "points": 0}]}
    if path == "/api/v1/redemptions/":
        return {"reward": world["reward"].pk}
    if path.startswith("/api/v1/people/"):
        return {"title": "Staff Engineer"}
    if path == "/api/v1/tokens/":
        return {"name": "another", "scopes": ["read"]}
    if path == "/api/v1/points/grants/":
        return {"user": world["colleague"].pk, "amount": 1, "reason": "Thanks"}
    return None


@pytest.fixture
def world() -> dict[str, Any]:
    return {
        "employee": UserFactory(with_points=500),
        "manager": ManagerFactory(with_points=500),
        "hr_admin": HRAdminFactory(with_points=500),
        "colleague": UserFactory(),
        "reward": RewardFactory(cost=10, stock=100, per_user_limit=None),
    }


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
def test_a_scope_opens_its_routes_and_the_role_decides_the_rest(world, role, scope):
    owner = world[role]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(owner, scope)}")
    wrong = {}

    for method, path, needed, by_role in ROUTES:
        url = path.format(colleague=world["colleague"].pk)
        response = getattr(client, method.lower())(url, body(method, path, world), format="json")
        if needed is not None and scope == needed:
            expected, code = by_role[role], None
        else:
            expected, code = 403, "insufficient_scope"
        got_code = response.json().get("code") if response.status_code >= 400 else None
        if response.status_code != expected or (code and got_code != code):
            wrong[f"{method} {path}"] = (expected, code, response.status_code, got_code)

    assert wrong == {}


@pytest.mark.parametrize(
    "change", [{"revoked_at": "2020-01-01T00:00:00Z"}, {"expires_at": "2020-01-01T00:00:00Z"}]
)
@pytest.mark.parametrize("role", ROLES)
def test_revoked_or_expired_tokens_are_refused_with_a_401_problem(world, role, change):
    secret = token_for(world[role], Scope.READ)
    ApiToken.objects.update(**change)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] in {"token_revoked", "token_expired"}
