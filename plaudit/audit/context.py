"""The current request's address and user agent, for facts recorded deep in a service.

Services take the actor, not the request; :class:`AuditContextMiddleware` keeps the
request's address and user agent in a context variable for the request's duration, and
:func:`plaudit.audit.services.record` reads them when it is given no request (the same
way django-guid keeps the request id). Outside a request (a command, a Celery task) both
are empty.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

USER_AGENT_KEPT = 255

_current: ContextVar[tuple[str | None, str]] = ContextVar("audit_client", default=(None, ""))


def client_of(request: Any) -> tuple[str | None, str]:
    """(address, user agent) of a Django or DRF request; (None, "") without one."""
    request = getattr(request, "_request", request)
    if request is None or not hasattr(request, "META"):
        return _current.get()
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request) or None
    return address, str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_KEPT]


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(client_of(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
