"""Fixtures for the web pages: Django test clients signed in as each role."""

from collections.abc import Callable

import pytest
from django.test import Client

from plaudit.people.models import User


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
