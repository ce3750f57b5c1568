"""Reads to replicas, writes to the primary, and every request reads its own writes.

Replicas are only used where that is known to be safe: inside an HTTP request
with a safe method (GET, HEAD, OPTIONS) that has not written anything yet, is
not inside ``transaction.atomic``, and does not carry the pin cookie a recent
write left behind. Everything else (unsafe methods, Celery tasks, management
commands, the ASGI process) reads from the primary, so a service that reads
and then locks or writes never sees a lagging copy. Code outside a request
that is happy with slightly stale data opts in with ``reads_from_replicas()``.

Configured by ``DATABASE_REPLICA_URLS`` (see config/settings.py); with no
replica the router is not installed at all.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponseBase

PIN_COOKIE = "plaudit_db_pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Routing:
    replicas_allowed: bool = False
    wrote: bool = False


# No value means "not in a request that allowed replicas": read from the primary.
_routing: ContextVar[_Routing | None] = ContextVar("plaudit_db_routing", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextmanager
def reads_from_replicas() -> Iterator[None]:
    """Let reads in this block go to a replica (until the block writes)."""
    token = _routing.set(_Routing(replicas_allowed=True))
    try:
        yield
    finally:
        _routing.reset(token)


@contextmanager
def reads_from_primary() -> Iterator[None]:
    """Read from the primary in this block, even in a request that may use replicas.

    For what outlives the request, such as a page stored in the shared cache: one
    rendered from a lagging replica just after its cache was invalidated would keep
    the replica's lag until the next change.
    """
    token = _routing.set(None)
    try:
        yield
    finally:
        _routing.reset(token)


class PrimaryReplicaRouter:
    """Django database router; the decision rules are in the module docstring."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _routing.get()
        replicas = replica_aliases()
        if state is None or not state.replicas_allowed or not replicas:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A read inside a transaction belongs to that transaction.
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _routing.get()
        if state is not None:
            # Read-your-own-writes for the rest of the request.
            state.replicas_allowed = False
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Replicas hold the very same rows as the primary.
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # Replicas receive the schema through replication, never by migrate.
        return db == DEFAULT_DB_ALIAS


class ReplicaRoutingMiddleware:
    """Opens a request's routing scope and pins the client to the primary after a write.

    The pin is a short-lived cookie (``DATABASE_REPLICA_PIN_SECONDS``), so the
    next requests of the same browser or API client read what it just wrote even
    when a replica lags behind.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_aliases():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        state = _Routing(replicas_allowed=safe and PIN_COOKIE not in request.COOKIES)
        token = _routing.set(state)
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if state.wrote or not safe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
