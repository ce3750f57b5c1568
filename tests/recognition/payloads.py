"""Request bodies for the recognition API."""

from typing import Any

from plaudit.people.models import User


def kudos(recipients: list[tuple[User, int]], message: str = "Thanks!", **extra: Any) -> dict:
    """A POST body for /api/v1/recognitions/."""
    return {
        "message": message,
        "recipients": [{"user": person.pk, "points": points} for person, points in recipients],
        **extra,
    }
