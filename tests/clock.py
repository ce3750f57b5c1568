"""A settable clock for tests of the company's calendar: Django's ``timezone.now`` reads it.

Plaudit reads the present only through ``timezone.now`` (see plaudit/demo/clock.py), so
patching it moves every service's "now", ``auto_now_add`` included, with no new dependency.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone


class Clock:
    def __init__(self) -> None:
        self.current = timezone.now()

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


def at(zone: str, *args: int) -> datetime:
    """A wall-clock moment in ``zone``: ``at("America/Los_Angeles", 2027, 1, 31, 23, 30)``."""
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """``clock.set(moment)``: from then on it is ``moment`` for Plaudit (until the test ends)."""
    settable = Clock()
    monkeypatch.setattr(timezone, "now", settable)
    return settable
