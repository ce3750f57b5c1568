"""The catalog's shared cache: its keys, how long a page may live, and its invalidation.

One cached copy of each public catalog page serves everyone who asks the same question
on the same host. Any saved or deleted reward (the signal, the services, an import)
calls :func:`invalidate_catalog`, which replaces the version every key hangs from.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from plaudit.core.cache import VersionedPages

from .models import Reward

CATALOG_PAGES = VersionedPages("catalog")


def invalidate_catalog() -> None:
    """Every cached catalog page becomes unreachable at once (a new version key)."""
    CATALOG_PAGES.invalidate()


def _seconds_until_catalog_changes_by_itself(now: datetime) -> int:
    """Windows open and close with time: a cached page must not outlive the next edge."""
    limit = int(settings.PLAUDIT["CATALOG_CACHE_SECONDS"])
    edges = Reward.objects.filter(is_active=True).aggregate(
        opens=Min("available_from", filter=Q(available_from__gt=now)),
        closes=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    upcoming = [edge for edge in edges.values() if edge is not None]
    if upcoming:
        limit = min(limit, max(1, int((min(upcoming) - now).total_seconds())))
    return limit


def _catalog_page_identity(host: str, query: dict[str, list[str]]) -> str:
    # Percent-encoded, so "?a=1%26b%3D2" and "?a=1&b=2" cannot share an entry; repeated
    # values keep their order (the last one wins in a filter). VersionedPages adds the
    # active language and time zone: a French reader never gets the German page.
    normalised = urlencode([(key, value) for key in sorted(query) for value in query[key]])
    return f"{host}?{normalised}"


def catalog_page_keys(host: str, query: dict[str, list[str]]) -> list[str]:
    """The cache keys :func:`cached_catalog_page` reads, to fetch ahead of it."""
    return CATALOG_PAGES.keys(_catalog_page_identity(host, query))


def cached_catalog_page(
    host: str,
    query: dict[str, list[str]],
    render: Callable[[], Any],
    prefetched: Mapping[str, Any] | None = None,
) -> Any:
    """The public catalog page for these query parameters, from cache when possible.

    Only for callers who see the public catalog (not HR admins): the page holds no
    personal data, so one cached copy serves everyone who asks the same question on
    the same host (the page's next and previous links name the host) in the same
    language (the rewards' names and descriptions are in it).
    """
    return CATALOG_PAGES.get_or_render(
        _catalog_page_identity(host, query),
        render,
        timeout=lambda: _seconds_until_catalog_changes_by_itself(timezone.now()),
        prefetched=prefetched,
    )
