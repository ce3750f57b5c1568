"""Values every page shows: the signed-in person's balance and giving allowance left."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from plaudit.ledger.selectors import allowance_remaining, balance_of


@dataclass(frozen=True)
class MyPoints:
    balance: int
    allowance_remaining: int


def points(request: HttpRequest) -> dict[str, Any]:
    """Lazy, so a page that never shows the numbers never pays for their two queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_points": SimpleLazyObject(
            lambda: MyPoints(
                balance=balance_of(user), allowance_remaining=allowance_remaining(user)
            )
        )
    }
