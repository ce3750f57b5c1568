"""Values every page shows: balance, giving allowance left and unread notifications."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from plaudit.events.selectors import unread_count
from plaudit.ledger.selectors import points_of


@dataclass(frozen=True)
class MyPoints:
    balance: int
    allowance_remaining: int


def points(request: HttpRequest) -> dict[str, Any]:
    """Lazy, so a page that never shows the numbers never pays for their query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_points": SimpleLazyObject(lambda: MyPoints(**points_of(user))),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
