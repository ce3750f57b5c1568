"""Shared fixtures: API clients signed in as each role, and the service guards.

Tests marked ``postgres`` need PostgreSQL's row locks, advisory locks, COPY or SQL.
They skip on SQLite for a newcomer's quick run, but when ``PLAUDIT_REQUIRE_SERVICES``
is set (as ``.ci/run`` does) a missing PostgreSQL fails the run instead.
"""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections
from rest_framework.test import APIClient

from plaudit.people.models import User

from .factories import HRAdminFactory, ManagerFactory, UserFactory

REQUIRE_SERVICES = bool(os.environ.get("PLAUDIT_REQUIRE_SERVICES"))


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


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters and cached pages never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


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
