"""Rate limits. Rates are settings (``THROTTLE_*_RATE``), read when a request arrives
so a changed setting takes effect without a restart of the class."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework import throttling
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class SettingsRateMixin:
    scope: str | None

    def get_rate(self) -> str | None:
        rate: str | None = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope or "")
        return rate


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class AuthRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Sign-in and token attempts, per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RedeemRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    """Redemptions, per person."""

    scope = "redeem"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)
