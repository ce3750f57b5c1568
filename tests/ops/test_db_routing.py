"""Reads go to replicas only where that is safe; writes and what follows them hit the primary."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from plaudit.core.db_routing import (
    PIN_COOKIE,
    PrimaryReplicaRouter,
    ReplicaRoutingMiddleware,
    reads_from_replicas,
)
from plaudit.people.models import User

router = PrimaryReplicaRouter()
with_replicas = override_settings(DATABASE_REPLICAS=["replica_1", "replica_2"])


def serve(
    method: str, view: Callable[[HttpRequest], Any], cookies: dict[str, str] | None = None
) -> tuple[HttpResponse, list[str]]:
    """Run ``view`` behind the routing middleware; it returns the aliases it was routed to."""
    seen: list[str] = []

    def get_response(request: HttpRequest) -> HttpResponse:
        seen.extend(view(request))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())("/api/v1/rewards/")
    request.COOKIES.update(cookies or {})
    response = ReplicaRoutingMiddleware(get_response)(request)
    return response, seen


def read(request: HttpRequest) -> list[str]:
    return [router.db_for_read(User)]


@with_replicas
def test_a_plain_get_reads_from_a_replica():
    response, seen = serve("GET", read)
    assert seen[0] in {"replica_1", "replica_2"}
    assert PIN_COOKIE not in response.cookies


@with_replicas
def test_reads_after_a_write_in_the_same_request_go_to_the_primary():
    def write_then_read(request: HttpRequest) -> list[str]:
        before = router.db_for_read(User)
        written = router.db_for_write(User)
        return [before, written, router.db_for_read(User)]

    response, seen = serve("GET", write_then_read)
    assert seen[0].startswith("replica_")
    assert seen[1:] == ["default", "default"]
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


@with_replicas
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_request_that_may_write_reads_only_from_the_primary(method):
    response, seen = serve(method, read)
    assert seen == ["default"]
    assert PIN_COOKIE in response.cookies


@with_replicas
def test_a_client_that_just_wrote_keeps_reading_from_the_primary():
    _, seen = serve("GET", read, cookies={PIN_COOKIE: "1"})
    assert seen == ["default"]


@with_replicas
@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary():
    def read_in_atomic(request: HttpRequest) -> list[str]:
        with transaction.atomic():
            return [router.db_for_read(User)]

    _, seen = serve("GET", read_in_atomic)
    assert seen == ["default"]


@with_replicas
def test_tasks_and_commands_read_from_the_primary_unless_they_opt_in():
    assert router.db_for_read(User) == "default"
    with reads_from_replicas():
        assert router.db_for_read(User).startswith("replica_")
        router.db_for_write(User)
        assert router.db_for_read(User) == "default"
    assert router.db_for_read(User) == "default"


def test_without_replicas_every_read_goes_to_the_primary():
    response, seen = serve("GET", read)
    assert seen == ["default"]
    assert PIN_COOKIE not in response.cookies


@with_replicas
def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "people") is True
    assert router.allow_migrate("replica_1", "people") is False


@with_replicas
def test_a_page_for_the_shared_cache_is_rendered_from_the_primary():
    """A lagging replica's page, cached just after an invalidation, would keep its lag."""
    from plaudit.core.cache import VersionedPages

    pages = VersionedPages("routing-test")

    def cached_read(request: HttpRequest) -> list[str]:
        before = router.db_for_read(User)
        during = pages.get_or_render("page", lambda: router.db_for_read(User), lambda: 60)
        return [before, during, router.db_for_read(User)]

    _, seen = serve("GET", cached_read)
    assert seen[0].startswith("replica_")
    assert seen[1] == "default"
    assert seen[2].startswith("replica_")  # the rest of the request may use replicas again
