"""Shared fixtures: API clients signed in as each role, and the service guards.

Tests marked ``postgres`` need PostgreSQL's row locks, advisory locks, COPY or SQL.
They skip on SQLite for a newcomer's quick run, but when ``PLAUDIT_REQUIRE_SERVICES``
is set (as ``.ci/run`` does) a missing PostgreSQL fails the run instead.
"""

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections
from django.db.models.signals import post_save
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from plaudit.events.models import EventType, OutboxEvent
from plaudit.events.payloads import data_schema
from plaudit.people.models import User

from .factories import HRAdminFactory, ManagerFactory, UserFactory

pytest_plugins = ["tests.clock"]  # the settable `clock` fixture

REQUIRE_SERVICES = bool(os.environ.get("PLAUDIT_REQUIRE_SERVICES"))

# Parallel workers (pytest-xdist) share one Redis, but each has its own test database: each
# keeps to keys of its own (a drain's claim on its outbox, its sockets' counts, throttle
# counters), and so do the processes it starts (a Celery worker reads the environment).
_CACHE = settings.CACHES["default"]
if (_worker := os.environ.get("PYTEST_XDIST_WORKER")) and "KEY_PREFIX" in _CACHE:
    _CACHE["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"] = f"{_CACHE['KEY_PREFIX']}-{_worker}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        message = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # ``cache`` is a proxy: ask the backend behind it.
    if item.get_closest_marker("redis") and not isinstance(caches["default"], RedisCache):
        message = "needs Redis: set REDIS_URL=redis://..."
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if item.get_closest_marker("broker") and not os.environ.get("PLAUDIT_TEST_BROKER_URL"):
        message = "needs a Celery broker: set PLAUDIT_TEST_BROKER_URL=amqp://... or redis://..."
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _clear_cache() -> None:
    """On Redis, delete this worker's keys only: ``cache.clear()`` empties the database,
    under the feet of the other workers' tests."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
    if keys := list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000)):
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters and cached pages never leak from one test into the next."""
    _clear_cache()
    yield
    _clear_cache()


@functools.cache
def _schema_of(event_type: str) -> Draft202012Validator:
    return Draft202012Validator(data_schema(EventType(event_type)))


@pytest.fixture(autouse=True)
def _every_event_matches_its_published_schema() -> Iterator[None]:
    """Every event recorded anywhere in the suite, by any producer (and any test that
    writes one itself), must match the JSON Schema that docs/webhooks.md publishes for
    its type: the webhook contract. (tests/events/test_webhook_contract.py keeps that
    page equal to the schemas the code generates.)"""
    mismatches: list[str] = []

    def check(sender: type[OutboxEvent], instance: OutboxEvent, created: bool, **kwargs: Any):
        if created:
            mismatches.extend(
                f"{instance.type} {instance.data}: {error.message}"
                for error in _schema_of(instance.type).iter_errors(instance.data)
            )

    post_save.connect(check, sender=OutboxEvent, dispatch_uid="tests.event_schema")
    yield
    post_save.disconnect(sender=OutboxEvent, dispatch_uid="tests.event_schema")
    assert not mismatches, "Events that break their published schema:\n" + "\n".join(mismatches)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production's PBKDF2 costs ~0.4 s a hash; tests check behaviour, not hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """An API client signed in as ``user`` (or anonymous for ``None``)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def employee(db: None) -> User:
    return UserFactory()


@pytest.fixture
def manager(db: None) -> User:
    return ManagerFactory()


@pytest.fixture
def report(manager: User) -> User:
    """An employee who reports to ``manager``."""
    return UserFactory(manager=manager)


@pytest.fixture
def hr_admin(db: None) -> User:
    return HRAdminFactory()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the test database is a file, as the embedded default's is.

    pytest-django would otherwise make it an in-memory database, which has no WAL and
    locks tables rather than queueing writers, so the concurrency tests would prove
    nothing about ``make run``. Each xdist worker has its own temporary directory.
    """
    for database in connections.settings.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3" and not (
            test.get("NAME") or test.get("MIRROR")
        ):
            test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
