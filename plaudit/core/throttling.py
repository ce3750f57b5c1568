"""Rate limits. Rates are settings (``THROTTLE_*_RATE``), read when a request arrives
so a changed setting takes effect without a restart of the class.

DRF's throttles keep, per client, the list of its request times and read and rewrite
that whole list on every request: two cache round trips, and a list as long as the
rate (6,000 entries at 6000/min). Here each client has a counter instead, whose
window opens with its first request: one round trip, constant size. The price of a
fixed window is that a client can spend up to twice the rate across the moment one
window ends and the next opens, acceptable for abuse limits.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework import throttling
from rest_framework.request import Request

from .cache import count_in_window

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class WindowCounterMixin:
    """A fixed-window counter in place of SimpleRateThrottle's history list."""

    scope: str | None
    rate: str | None
    num_requests: int
    duration: int
    cache_format: str

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
        count, self.seconds_left = count_in_window(key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float | None:
        """Seconds until the current window ends and the counter starts again."""
        return max(1.0, self.seconds_left)


class UserRateThrottle(WindowCounterMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(WindowCounterMixin, throttling.AnonRateThrottle):
    pass


class AuthRateThrottle(WindowCounterMixin, throttling.SimpleRateThrottle):
    """Sign-in and token attempts, per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RedeemRateThrottle(WindowCounterMixin, throttling.UserRateThrottle):
    """Redemptions, per person."""

    scope = "redeem"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)
