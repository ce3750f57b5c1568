"""What every web view reads off its request: whether htmx sent it, and who is signed in."""

from typing import cast

from django.http import HttpRequest

from plaudit.people.models import User


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in(request: HttpRequest) -> User:
    """``login_required`` has run, so the user is a real person."""
    return cast(User, request.user)
