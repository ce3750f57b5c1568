"""Helpers for recognition tests: kudos given through the same service the API calls."""

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from plaudit.people.models import User
from plaudit.recognition.models import CompanyValue, Recognition
from plaudit.recognition.services import Gift, give_recognition

Give = Callable[..., Recognition]


@pytest.fixture
def give(db: None) -> Give:
    """``give(giver, {person: points}, message=..., values=[...])``."""

    def make(
        giver: User,
        points: dict[User, int],
        message: str = "Thank you!",
        values: Iterable[CompanyValue] = (),
        **kwargs: Any,
    ) -> Recognition:
        return give_recognition(
            giver=giver,
            message=message,
            gifts=[Gift(recipient=person, points=amount) for person, amount in points.items()],
            values=values,
            **kwargs,
        )

    return make
