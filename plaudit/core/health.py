"""Liveness and readiness probes for load balancers and orchestrators."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

from plaudit.people.localisation import impersonal


@impersonal
def health(request: HttpRequest) -> JsonResponse:
    """200 while the process serves; touches nothing else."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    probe = f"health:{uuid.uuid4().hex}"
    cache.set(probe, "1", timeout=5)
    if cache.get(probe) != "1":
        return "error: cache did not return the value just written"
    cache.delete(probe)
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (tasks run inline)"
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@impersonal
def ready(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache and broker answer; 503 with each result otherwise."""
    checks: dict[str, str] = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # a probe reports every failure, whatever its kind
            checks[name] = f"error: {exc.__class__.__name__}: {exc}"
    healthy = all(result.startswith("ok") for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
