"""Who may call what: every /api/v1/ route and method, as every kind of caller.

The routes come from the URL conf itself (``get_resolver()``), so a new route that
is missing from ``EXPECTED`` fails ``test_every_api_route_has_an_expected_answer``:
the table has to grow with the API. Callers sign in with real JWTs, so a
deactivated person's token is refused the way it would be in production.
"""

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from plaudit.audit.models import AuditEvent
from plaudit.audit.services import record
from plaudit.core.encryption import encrypt
from plaudit.events.models import EventType, Notification, WebhookDelivery, WebhookEndpoint
from plaudit.events.outbox import record_event
from plaudit.imports.models import ImportJob
from plaudit.people.models import User
from plaudit.recognition.models import CelebrationMilestone, Comment, CompanyValue, Recognition
from plaudit.recognition.services import Gift, add_comment, give_recognition, react
from plaudit.rewards.models import Redemption, Reward
from plaudit.rewards.services import approve_redemption, redeem_reward
from plaudit.tokens.models import ApiToken
from plaudit.tokens.services import create_token
from tests.events.payloads import points_granted
from tests.factories import (
    TEST_PASSWORD,
    CompanyValueFactory,
    HRAdminFactory,
    ManagerFactory,
    RewardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1/"
ROLES = ("anonymous", "deactivated", "employee", "manager", "hr_admin")
IGNORED_METHODS = {"head", "options"}  # answered by the framework for every route


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _methods(callback: Any) -> set[str]:
    """The HTTP methods a view answers (other than HEAD and OPTIONS)."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:  # a plain function view: GET is the one method it can be held to
        return {"get"}
    allowed = set(view_class.http_method_names) - IGNORED_METHODS
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a viewset route: the router's method → action map
        return {method for method in actions if method in allowed}
    return {method for method in allowed if hasattr(view_class, method)}


def api_routes() -> list[tuple[str, str]]:
    """``(METHOD, /api/v1/path/<pk>/)`` for every route of version 1."""
    routes = set()
    for regex, callback in _walk(get_resolver().url_patterns):
        path = simplify_regex(regex).replace("<version>", "v1")
        if path.startswith(API_PREFIX):
            routes |= {(method.upper(), path) for method in _methods(callback)}
    return sorted(routes)


ROUTES = api_routes()
EMPLOYEES_REACTION = "👏"


@dataclass
class World:
    """One small company: a manager, their report (who redeemed), HR, and outsiders."""

    hr_admin: User
    manager: User
    employee: User
    deactivated: User
    stranger: User
    other_manager: User
    reward: Reward
    pending: Redemption
    approved: Redemption
    notification: Notification  # the employee's
    webhook: WebhookEndpoint
    delivery: WebhookDelivery
    import_job: ImportJob
    recognition: Recognition  # from the manager to the employee
    comment: Comment  # the employee's, on that recognition
    value: CompanyValue
    milestone: CelebrationMilestone
    api_token: ApiToken  # the employee's
    audit_event: AuditEvent

    def caller(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def url(self, path: str, target: str | None) -> str:
        """The concrete URL: <pk> is ``target``'s id, other placeholders their objects' ids."""
        if "<pk>" in path:
            assert target, f"{path}: say which object fills <pk> (Rule.target)"
            path = path.replace("<pk>", str(getattr(self, target).pk))
        return (
            path.replace("<delivery_id>", str(self.delivery.pk))
            .replace("<comment_id>", str(self.comment.pk))
            .replace("<emoji>", quote(EMPLOYEES_REACTION))
        )


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    manager = ManagerFactory(with_points=1000)
    employee = UserFactory(manager=manager, with_points=1000)
    reward = RewardFactory(cost=100, stock=50, per_user_limit=None)
    pending = redeem_reward(user=employee, reward_id=reward.pk)
    approved = redeem_reward(user=employee, reward_id=reward.pk)
    hr_admin = HRAdminFactory(with_points=1000)
    approve_redemption(redemption_id=approved.pk, actor=manager)
    webhook = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/plaudit",
        events=["points.granted"],
        secret_encrypted=encrypt("s3cret"),
    )
    event = record_event(EventType.POINTS_GRANTED, points_granted(employee), key="matrix")
    recognition = give_recognition(
        giver=manager, message="Great launch", gifts=[Gift(recipient=employee, points=5)]
    )
    react(user=employee, recognition=recognition, emoji=EMPLOYEES_REACTION)
    return World(
        hr_admin=hr_admin,
        manager=manager,
        employee=employee,
        deactivated=UserFactory(is_active=False, with_points=1000),
        stranger=UserFactory(with_points=1000),
        other_manager=ManagerFactory(),
        reward=reward,
        pending=pending,
        approved=approved,
        notification=Notification.objects.create(
            user=employee, event=EventType.POINTS_GRANTED, title="You got points"
        ),
        webhook=webhook,
        delivery=WebhookDelivery.objects.create(endpoint=webhook, event=event),
        import_job=ImportJob.objects.create(kind="employees", created_by=hr_admin),
        recognition=recognition,
        comment=add_comment(author=employee, recognition=recognition, body="Thank you!"),
        value=CompanyValueFactory(),
        milestone=CelebrationMilestone.objects.create(occasion="birthday", points=10),
        api_token=create_token(actor=employee, name="script", scopes=["read"]).token,
        audit_event=record("auth.signed_in", actor=employee),
    )


def signed_in(user: User | None) -> APIClient:
    """A client carrying a real access token, as an app would send it."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(buffer, format="PNG")
    return SimpleUploadedFile("reward.png", buffer.getvalue(), content_type="image/png")


Body = Callable[[World, User | None], dict[str, Any]]


def credentials(world: World, caller: User | None) -> dict[str, Any]:
    return {"email": (caller or world.employee).email, "password": TEST_PASSWORD}


def refresh_token(world: World, caller: User | None) -> dict[str, Any]:
    return {"refresh": str(RefreshToken.for_user(caller or world.employee))}


ALLOWED = 0
"""Let through: the answer is about the request itself (2xx, 400, 409, 422...), not the caller.
Used where the test does not build a complete valid request for another app's endpoint."""


def let_through(status: int) -> bool:
    return status < 500 and status not in {401, 403, 404, 405}


@dataclass(frozen=True)
class Rule:
    """Expected status per caller; ``target`` names the World object whose id fills <pk>."""

    employee: int
    manager: int
    hr_admin: int
    anonymous: int = 401
    deactivated: int = 401
    target: str | None = None
    body: Body | None = None
    multipart: bool = False


def _literal(body: dict[str, Any]) -> Body:
    return lambda world, caller: body


EXPECTED: dict[tuple[str, str], Rule] = {
    # sign-in: open to everyone with a valid account, closed to the deactivated
    ("POST", "/api/v1/auth/token/"): Rule(200, 200, 200, anonymous=200, body=credentials),
    ("POST", "/api/v1/auth/token/refresh/"): Rule(200, 200, 200, anonymous=200, body=refresh_token),
    ("GET", "/api/v1/me/"): Rule(200, 200, 200),
    # everyone chooses their own language and time zone
    ("PATCH", "/api/v1/me/"): Rule(
        200, 200, 200, body=_literal({"language": "fr", "time_zone": "Europe/Paris"})
    ),
    # people: a directory for all, changes by HR only
    ("GET", "/api/v1/people/"): Rule(200, 200, 200),
    ("POST", "/api/v1/people/"): Rule(
        403,
        403,
        201,
        body=_literal({"email": "new.hire@example.com", "first_name": "New", "last_name": "Hire"}),
    ),
    ("GET", "/api/v1/people/<pk>/"): Rule(200, 200, 200, target="employee"),
    ("PATCH", "/api/v1/people/<pk>/"): Rule(
        403, 403, 200, target="employee", body=_literal({"title": "Staff Engineer"})
    ),
    ("DELETE", "/api/v1/people/<pk>/"): Rule(403, 403, 204, target="employee"),
    # points
    ("POST", "/api/v1/points/grants/"): Rule(
        403,
        403,
        201,
        body=lambda world, caller: {"user": world.employee.pk, "amount": 10, "reason": "Thanks"},
    ),
    ("GET", "/api/v1/points/entries/"): Rule(200, 200, 200),
    # reports
    ("GET", "/api/v1/reports/top-salaries/"): Rule(403, 403, 200),
    # the catalog: read by all, kept by HR
    ("GET", "/api/v1/rewards/"): Rule(200, 200, 200),
    ("POST", "/api/v1/rewards/"): Rule(403, 403, 201, body=_literal({"name": "Mug", "cost": 10})),
    ("GET", "/api/v1/rewards/<pk>/"): Rule(200, 200, 200, target="reward"),
    ("PATCH", "/api/v1/rewards/<pk>/"): Rule(
        403, 403, 200, target="reward", body=_literal({"cost": 150})
    ),
    ("DELETE", "/api/v1/rewards/<pk>/"): Rule(403, 403, 204, target="reward"),
    ("POST", "/api/v1/rewards/<pk>/image/"): Rule(
        403,
        403,
        200,
        target="reward",
        body=lambda world, caller: {"image": png()},
        multipart=True,
    ),
    # redemptions: the employee redeemed `pending` and `approved`; `manager` is their manager
    ("GET", "/api/v1/redemptions/"): Rule(200, 200, 200),
    ("POST", "/api/v1/redemptions/"): Rule(
        201, 201, 201, body=lambda world, caller: {"reward": world.reward.pk}
    ),
    ("GET", "/api/v1/redemptions/<pk>/"): Rule(200, 200, 200, target="pending"),
    ("POST", "/api/v1/redemptions/<pk>/approve/"): Rule(403, 200, 200, target="pending"),
    ("POST", "/api/v1/redemptions/<pk>/reject/"): Rule(
        403, 200, 200, target="pending", body=_literal({"reason": "Not this quarter"})
    ),
    ("POST", "/api/v1/redemptions/<pk>/cancel/"): Rule(200, 403, 403, target="pending"),
    ("POST", "/api/v1/redemptions/<pk>/fulfil/"): Rule(403, 403, 200, target="approved"),
    # notifications: everyone's own, nobody else's (the notification is the employee's)
    ("GET", "/api/v1/notifications/"): Rule(200, 200, 200),
    ("GET", "/api/v1/notifications/unread-count/"): Rule(200, 200, 200),
    ("POST", "/api/v1/notifications/read-all/"): Rule(200, 200, 200),
    ("GET", "/api/v1/notifications/preferences/"): Rule(200, 200, 200),
    ("PATCH", "/api/v1/notifications/preferences/"): Rule(
        200, 200, 200, body=_literal({"email_enabled": False})
    ),
    ("GET", "/api/v1/notifications/<pk>/"): Rule(200, 404, 404, target="notification"),
    ("POST", "/api/v1/notifications/<pk>/read/"): Rule(200, 404, 404, target="notification"),
    # webhooks, imports, exports and the delivery status: HR only
    ("GET", "/api/v1/webhooks/"): Rule(403, 403, 200),
    ("POST", "/api/v1/webhooks/"): Rule(
        403,
        403,
        ALLOWED,
        body=_literal(
            {"url": "https://hooks.example.com/new", "events": ["points.granted"], "secret": "x"}
        ),
    ),
    ("GET", "/api/v1/webhooks/<pk>/"): Rule(403, 403, 200, target="webhook"),
    ("PATCH", "/api/v1/webhooks/<pk>/"): Rule(
        403, 403, ALLOWED, target="webhook", body=_literal({"is_active": False})
    ),
    ("DELETE", "/api/v1/webhooks/<pk>/"): Rule(403, 403, 204, target="webhook"),
    ("GET", "/api/v1/webhooks/<pk>/deliveries/"): Rule(403, 403, 200, target="webhook"),
    ("POST", "/api/v1/webhooks/<pk>/deliveries/<delivery_id>/redeliver/"): Rule(
        403, 403, 201, target="webhook"
    ),
    ("GET", "/api/v1/imports/"): Rule(403, 403, 200),
    ("POST", "/api/v1/imports/"): Rule(403, 403, ALLOWED, body=_literal({"kind": "employees"})),
    ("GET", "/api/v1/imports/<pk>/"): Rule(403, 403, 200, target="import_job"),
    ("GET", "/api/v1/imports/<pk>/errors/"): Rule(403, 403, 200, target="import_job"),
    ("POST", "/api/v1/imports/<pk>/rerun/"): Rule(403, 403, ALLOWED, target="import_job"),
    ("GET", "/api/v1/people/export/"): Rule(403, 403, 200),
    ("GET", "/api/v1/rewards/export/"): Rule(403, 403, 200),
    ("GET", "/api/v1/events/status/"): Rule(403, 403, ALLOWED),
    # recognition: a feed for everyone; the manager thanked the employee, who commented
    ("GET", "/api/v1/recognitions/"): Rule(200, 200, 200),
    ("POST", "/api/v1/recognitions/"): Rule(
        201,
        201,
        201,
        body=lambda world, caller: {
            "message": "Thanks for the help",
            "recipients": [{"user": world.stranger.pk, "points": 0}],
        },
    ),
    ("GET", "/api/v1/recognitions/<pk>/"): Rule(200, 200, 200, target="recognition"),
    ("POST", "/api/v1/recognitions/<pk>/add-ons/"): Rule(
        ALLOWED, ALLOWED, ALLOWED, target="recognition", body=_literal({"points": 1})
    ),
    ("GET", "/api/v1/recognitions/<pk>/comments/"): Rule(200, 200, 200, target="recognition"),
    ("POST", "/api/v1/recognitions/<pk>/comments/"): Rule(
        201, 201, 201, target="recognition", body=_literal({"body": "Well deserved"})
    ),
    ("DELETE", "/api/v1/recognitions/<pk>/comments/<comment_id>/"): Rule(
        204, 403, 204, target="recognition"
    ),
    ("POST", "/api/v1/recognitions/<pk>/reactions/"): Rule(
        201, 201, 201, target="recognition", body=_literal({"emoji": "🎉"})
    ),
    ("DELETE", "/api/v1/recognitions/<pk>/reactions/<emoji>/"): Rule(
        204, 404, 404, target="recognition"
    ),
    ("GET", "/api/v1/values/"): Rule(200, 200, 200),
    ("POST", "/api/v1/values/"): Rule(
        403, 403, 201, body=_literal({"name": "Courage", "slug": "courage"})
    ),
    ("GET", "/api/v1/values/<pk>/"): Rule(200, 200, 200, target="value"),
    ("PATCH", "/api/v1/values/<pk>/"): Rule(
        403, 403, 200, target="value", body=_literal({"description": "Say it"})
    ),
    ("DELETE", "/api/v1/values/<pk>/"): Rule(403, 403, 204, target="value"),
    ("GET", "/api/v1/celebrations/milestones/"): Rule(403, 403, 200),
    ("POST", "/api/v1/celebrations/milestones/"): Rule(
        403, 403, ALLOWED, body=_literal({"occasion": "anniversary", "years": 5, "points": 50})
    ),
    ("GET", "/api/v1/celebrations/milestones/<pk>/"): Rule(403, 403, 200, target="milestone"),
    ("PATCH", "/api/v1/celebrations/milestones/<pk>/"): Rule(
        403, 403, ALLOWED, target="milestone", body=_literal({"points": 20})
    ),
    ("DELETE", "/api/v1/celebrations/milestones/<pk>/"): Rule(403, 403, 204, target="milestone"),
    ("GET", "/api/v1/reports/leaderboard/"): Rule(200, 200, 200),
    ("GET", "/api/v1/reports/trending/"): Rule(200, 200, 200),
    ("GET", "/api/v1/reports/team/"): Rule(403, 200, 200),
    # API tokens: everyone's own (the token is the employee's); HR sees and revokes any
    ("GET", "/api/v1/tokens/"): Rule(200, 200, 200),
    ("POST", "/api/v1/tokens/"): Rule(
        201, 201, 201, body=_literal({"name": "script", "scopes": ["read"]})
    ),
    ("GET", "/api/v1/tokens/<pk>/"): Rule(200, 404, 200, target="api_token"),
    ("POST", "/api/v1/tokens/<pk>/revoke/"): Rule(200, 404, 200, target="api_token"),
    # the audit log: HR only
    ("GET", "/api/v1/audit/"): Rule(403, 403, 200),
    ("GET", "/api/v1/audit/<pk>/"): Rule(403, 403, 200, target="audit_event"),
}


def call(world: World, role: str, method: str, path: str) -> Any:
    """Send the route's request as ``role``; the route must be in ``EXPECTED``."""
    rule = EXPECTED[(method, path)]
    caller = world.caller(role)
    path = world.url(path, rule.target)
    body = rule.body(world, caller) if rule.body else None
    client = signed_in(caller)
    send = getattr(client, method.lower())
    if rule.multipart:
        return send(path, body, format="multipart")
    return send(path, body, format="json") if body is not None else send(path)


def test_every_api_route_has_an_expected_answer() -> None:
    missing = [f"{method} {path}" for method, path in ROUTES if (method, path) not in EXPECTED]
    stale = [f"{method} {path}" for method, path in EXPECTED if (method, path) not in ROUTES]

    assert not missing, f"New routes: add them to EXPECTED in {__name__}: {missing}"
    assert not stale, f"EXPECTED lists routes that no longer exist: {stale}"


def matches(expected: int, status: int) -> bool:
    return let_through(status) if expected == ALLOWED else status == expected


def as_each(world: World, roles: tuple[str, ...], method: str, path: str) -> dict[str, Any]:
    """Each caller's response to the same request, each from the same starting state."""
    responses = {}
    for role in roles:
        with transaction.atomic():
            responses[role] = call(world, role, method, path)
            transaction.set_rollback(True)
    return responses


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[" ".join(route) for route in ROUTES])
def test_each_caller_gets_the_expected_status(world: World, method: str, path: str) -> None:
    if (method, path) not in EXPECTED:
        pytest.fail(f"{method} {path} is not in EXPECTED: say who may call it")
    rule = EXPECTED[(method, path)]

    responses = as_each(world, ROLES, method, path)

    wrong = {
        role: f"expected {getattr(rule, role) or 'let through'}, got {response.status_code}: "
        f"{response.content[:200]!r}"
        for role, response in responses.items()
        if not matches(getattr(rule, role), response.status_code)
    }
    assert wrong == {}


# --- object scoping: what one may not see is a 404 ---------------------------------


@pytest.mark.parametrize("move", ["", "approve/", "reject/", "cancel/"])
def test_another_persons_redemption_is_not_found_for_an_unrelated_employee(
    world: World, move: str
) -> None:
    client = signed_in(world.stranger)
    url = f"/api/v1/redemptions/{world.pending.pk}/{move}"

    response = client.post(url, {}) if move else client.get(url)

    assert response.status_code == 404
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"


def test_another_teams_manager_cannot_see_or_approve_a_redemption(world: World) -> None:
    client = signed_in(world.other_manager)

    assert client.get(f"/api/v1/redemptions/{world.pending.pk}/").status_code == 404
    assert client.post(f"/api/v1/redemptions/{world.pending.pk}/approve/").status_code == 404
    listed = client.get("/api/v1/redemptions/").json()["results"]
    assert world.pending.pk not in {row["id"] for row in listed}


# --- salary is HR's business only ------------------------------------------------------

GET_ROUTES = [path for method, path in ROUTES if method == "GET"]


def _keys(document: Any) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _keys(value)
    elif isinstance(document, list):
        for value in document:
            yield from _keys(value)


@pytest.mark.parametrize("path", GET_ROUTES)
def test_no_one_but_hr_sees_anyone_elses_salary(world: World, path: str) -> None:
    if ("GET", path) not in EXPECTED:
        pytest.fail(f"GET {path} is not in EXPECTED: say who may call it")
    roles = ("employee", "manager", "deactivated", "anonymous")

    for role, response in as_each(world, roles, "GET", path).items():
        caller = world.caller(role)
        others = [
            str(salary)
            for salary in User.objects.exclude(pk=getattr(caller, "pk", None)).values_list(
                "salary", flat=True
            )
            if salary is not None
        ]
        text = b"".join(getattr(response, "streaming_content", [response.content])).decode()
        assert [salary for salary in others if salary in text] == [], role
        if not response.get("Content-Type", "").startswith("application/"):
            continue
        document = json.loads(text) if text else None
        salaries = [key for key in _keys(document) if key == "salary"]
        if path == "/api/v1/me/" and response.status_code == 200:  # your own, only yours
            assert Decimal(document["salary"]) == caller.salary, role
            assert salaries == ["salary"], role
        else:
            assert salaries == [], role


def test_hr_admins_see_salaries(world: World) -> None:
    client = signed_in(world.hr_admin)

    directory = client.get("/api/v1/people/", {"page_size": 100}).json()["results"]
    profile = client.get(f"/api/v1/people/{world.employee.pk}/").json()
    top = client.get("/api/v1/reports/top-salaries/").json()["results"]

    by_id = {row["id"]: row for row in directory}
    assert Decimal(by_id[world.employee.pk]["salary"]) == world.employee.salary
    assert Decimal(profile["salary"]) == world.employee.salary
    assert {row["id"] for row in top} >= {world.employee.pk, world.manager.pk}
    assert all("salary" in row for row in top)
