"""Fixtures for the web pages: Django test clients signed in as each role."""

import os
from collections.abc import Callable

import pytest
from django.test import Client

from plaudit.people.models import User

from .browser import (  # noqa: F401  (fixtures)
    _other_sessions_ended,
    asgi_live_server,
    browse,
    browse_make_run,
    browse_rtl,
    chromium,
    make_run_server,
    rtl_live_server,
)


@pytest.fixture
def page_client() -> Callable[[User | None], Client]:
    """A browser-like client with a session for ``user`` (anonymous for ``None``)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


HTMX = {"HTTP_HX_REQUEST": "true"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Screenshot "tests" only run for ``make screenshots`` (PLAUDIT_SCREENSHOTS=1)."""
    if os.environ.get("PLAUDIT_SCREENSHOTS"):
        return
    kept = [item for item in items if not item.get_closest_marker("screenshots")]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
