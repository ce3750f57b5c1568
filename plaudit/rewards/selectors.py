"""Reads of the catalog and of redemptions, and the catalog's read cache."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from plaudit.core.cache import VersionedPages
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .models import Redemption, RedemptionStatus, Reward

CATALOG_PAGES = VersionedPages("catalog")


def rewards_visible_to(user: User, *, include_deleted: bool = False) -> QuerySet[Reward]:
    """HR admins see the whole catalog (deleted ones on request); others what is available now."""
    if is_hr_admin(user):
        return Reward.all_objects.all() if include_deleted else Reward.objects.all()
    return Reward.objects.available()


def redemptions_visible_to(user: User) -> QuerySet[Redemption]:
    """Your own; a manager also their direct reports'; an HR admin all."""
    redemptions = Redemption.objects.select_related("reward", "user", "code")
    if is_hr_admin(user):
        return redemptions
    return redemptions.filter(Q(user=user) | Q(user__manager=user))


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
    # values keep their order (the last one wins in a filter).
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
    the same host (the page's next and previous links name the host).
    """
    return CATALOG_PAGES.get_or_render(
        _catalog_page_identity(host, query),
        render,
        timeout=lambda: _seconds_until_catalog_changes_by_itself(timezone.now()),
        prefetched=prefetched,
    )


def redemptions_awaiting_decision(user: User) -> QuerySet[Redemption]:
    """Pending redemptions ``user`` may approve or reject: their reports', or all for HR.

    The queue of :func:`~.services.can_decide`: direct reports only, never one's own.
    """
    pending = (
        Redemption.objects.filter(status=RedemptionStatus.PENDING)
        .select_related("reward", "user", "user__department")
        .order_by("created_at", "id")
    )
    if is_hr_admin(user):
        return pending
    return pending.filter(user__manager=user)


def catalog_categories(user: User) -> list[str]:
    """The categories a person can filter the catalog by: those of rewards they can see."""
    categories = (
        rewards_visible_to(user)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    return list(categories)


def catalog_for(
    user: User, *, search: str = "", category: str = "", max_cost: int | None = None
) -> QuerySet[Reward]:
    """The catalog page's rewards: what ``user`` may see, narrowed by the page's filters."""
    rewards = rewards_visible_to(user)
    if search:
        rewards = rewards.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(category__icontains=search)
        )
    if category:
        rewards = rewards.filter(category__iexact=category)
    if max_cost is not None:
        rewards = rewards.filter(cost__lte=max_cost)
    return rewards.order_by("cost", "name", "id")
