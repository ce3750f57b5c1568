"""Rate limits. Rates are settings (``THROTTLE_*_RATE``), read when a request arrives
so a changed setting takes effect without a restart of the class.

DRF's throttles keep, per client, the list of its request times and read and rewrite
that whole list on every request: two cache round trips, and a list as long as the
rate (6,000 entries at 6000/min). Here each client has a counter instead, whose
window opens with its first request: one round trip, constant size. The price of a
fixed window is that a client can spend up to twice the rate across the moment one
window ends and the next opens, acceptable for abuse limits.

A signed-in person's counters are hit by the JWT authentication, in the round trip
that finds the person (:func:`person_counters`); the throttles then read the counts
it left on the request instead of making a round trip of their own.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework import throttling
from rest_framework.request import Request

from .cache import count_in_window

# Where the authentication leaves the counts it took: {counter key: (hits, seconds left)}.
COUNTED_HITS = "counted_hits"

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class WindowCounterMixin:
    """A fixed-window counter in place of SimpleRateThrottle's history list."""

    scope: str | None
    rate: str | None
    num_requests: int
    duration: int
    cache_format: str
    seconds_left: float

    def get_rate(self) -> str | None:
        rate: str | None = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope or "")
        return rate

    if TYPE_CHECKING:  # provided by the DRF throttle this is mixed into

        def get_cache_key(self, request: Request, view: "APIView") -> str | None: ...

    def allow_request(self, request: Request, view: "APIView") -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        counted = getattr(request, COUNTED_HITS, {}).pop(key, None)
        count, self.seconds_left = counted or count_in_window(key, self.duration)
        return count <= self.num_requests

    def key_for_person(self, request: Request, person_id: Any) -> str | None:
        """The counter this request hits once signed in as ``person_id``; None when this
        throttle does not count per person (or does not count this request)."""
        return None

    def wait(self) -> float | None:
        """Seconds until the current window ends and the counter starts again."""
        return max(1.0, self.seconds_left)


class PerPersonMixin(WindowCounterMixin):
    """Counts signed-in people by id: the key DRF's ``UserRateThrottle`` gives them."""

    def key_for_person(self, request: Request, person_id: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": person_id}


class UserRateThrottle(PerPersonMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(WindowCounterMixin, throttling.AnonRateThrottle):
    pass


class AuthRateThrottle(WindowCounterMixin, throttling.SimpleRateThrottle):
    """Sign-in and token attempts, per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RedeemRateThrottle(PerPersonMixin, throttling.UserRateThrottle):
    """Redemptions, per person."""

    scope = "redeem"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def key_for_person(self, request: Request, person_id: Any) -> str | None:
        return super().key_for_person(request, person_id) if request.method == "POST" else None


def person_counters(request: Request, view: "APIView", person_id: Any) -> dict[str, int]:
    """The counters (key: window in seconds) the view's throttles will hit for this
    request once it is known to come from ``person_id``."""
    counters = {}
    for throttle in view.get_throttles():
        if isinstance(throttle, WindowCounterMixin) and throttle.rate is not None:
            key = throttle.key_for_person(request, person_id)
            if key is not None:
                counters[key] = throttle.duration
    return counters
