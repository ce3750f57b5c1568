"""Payloads for tests that need an event of a type, not the one a real change records."""

from collections.abc import Iterable

from plaudit.events.payloads import PointsGranted, RewardLowStock
from plaudit.people.models import User


def points_granted(person: User, *, amount: int = 5, reason: str = "Thanks") -> PointsGranted:
    """``points.granted``: tells ``person``."""
    return PointsGranted(
        transaction=1, user=person.pk, amount=amount, reason=reason, granted_by=None
    )


def low_stock(recipients: Iterable[User] = (), *, stock: int = 1) -> RewardLowStock:
    """``reward.low_stock``: tells ``recipients``; with none, only webhooks hear of it."""
    return RewardLowStock(
        reward=1,
        reward_name="Mug",
        stock=stock,
        threshold=2,
        recipients=[person.pk for person in recipients],
    )
