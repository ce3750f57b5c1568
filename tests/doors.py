"""Driving a door as a person would, for the tests that compare every door's refusal."""

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from plaudit.people.models import User

Errors = dict[str, list[str]]
"""A refusal as each door words it, field by field: ``{"expires_at": ["..."]}``."""


def page_session(user: User) -> Client:
    """A browser signed in as ``user``: the web pages and the admin."""
    client = Client()
    client.force_login(user)
    return client


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def form_errors(form: Any) -> Errors:
    """A Django form's errors as plain messages, field by field."""
    return {
        field: [error["message"] for error in errors]
        for field, errors in form.errors.get_json_data().items()
    }
