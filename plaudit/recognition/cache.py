"""What recognition keeps in the shared cache, and the one place that makes it stale.

Three families of keys, each under a version (:class:`~plaudit.core.cache.VersionedPages`)
that invalidation replaces: the feed's pages as everyone sees them, each person's own
reactions on those pages, and the rendered leaderboards and trends. Signals and
services call the ``invalidate_*`` and ``forget_*`` functions here; the reads they
cache are the pure queries of :mod:`plaudit.recognition.selectors`.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.utils.translation import get_language

from plaudit.core.after_commit import run_after_commit
from plaudit.core.cache import VersionedPages
from plaudit.people.models import User

from .selectors import emojis_reacted_by, leaderboard, period_start, trending

REPORT_PAGES = VersionedPages("recognition:reports")
FEED_PAGES = VersionedPages("recognition:feed:json")
# Every change to what the feed shows invalidates it; the expiry only bounds memory.
FEED_CACHE_SECONDS = 600

T = TypeVar("T")


def invalidate_reports() -> None:
    """Every cached leaderboard and trend becomes unreachable at once (a new version key)."""
    REPORT_PAGES.invalidate()


def cached_report(name: str, params: dict[str, Any], compute: Callable[[], T]) -> T:
    """``compute()`` once per version, report and parameters, for at most the configured time.

    The period's start is part of the key, so a new month never serves last month's board.
    """
    normalised = "&".join(f"{key}={params[key]}" for key in sorted(params))
    found: T = REPORT_PAGES.get_or_render(
        f"{name}?{normalised}",
        compute,
        timeout=lambda: int(settings.PLAUDIT["REPORTS_CACHE_SECONDS"]),
    )
    return found


def invalidate_feed() -> None:
    """Every cached feed page becomes unreachable: now, and again once this commits.

    Now, so the next read in this process sees the change; after commit, because a
    reader between the two may have cached the feed as it was before the commit.
    """
    FEED_PAGES.invalidate()
    run_after_commit(FEED_PAGES.invalidate)


class FeedPage(NamedTuple):
    """A feed page as everyone sees it: its JSON, and which recognitions on it have
    reactions (where the caller's own are marked per request)."""

    body: bytes
    reacted: list[int]


def cached_feed_page(
    identity: str, render: Callable[[], T], prefetched: Mapping[str, Any] | None = None
) -> T:
    """A feed page as everyone who reads this language in this time zone sees it (a
    :class:`FeedPage` for the API; :class:`VersionedPages` keys it by both)."""
    page: T = FEED_PAGES.get_or_render(
        identity, render, timeout=lambda: FEED_CACHE_SECONDS, prefetched=prefetched
    )
    return page


def feed_page_keys(identity: str) -> list[str]:
    """The cache keys :func:`cached_feed_page` reads, to fetch ahead of it."""
    return FEED_PAGES.keys(identity)


def _reactions_by(person_id: Any) -> VersionedPages:
    return VersionedPages(f"recognition:mine:{person_id}")


def my_reaction_keys(person_id: Any, identity: str) -> list[str]:
    """The cache keys :func:`cached_emojis_reacted_by` reads, to fetch ahead of it."""
    return _reactions_by(person_id).keys(identity)


def cached_emojis_reacted_by(
    viewer: User,
    identity: str,
    reacted: Sequence[int],
    prefetched: Mapping[str, Any] | None = None,
) -> dict[int, set[str]]:
    """:func:`emojis_reacted_by` for the shared feed page ``identity``, cached per viewer.

    ``reacted``: the page's recognitions that have reactions, the only ones that can
    carry the viewer's own, so a page with none needs no read. The answer is stored
    with the recognitions it covers, as the shared page moves on (a new kudos) without
    the viewer doing anything; their own reactions make it stale
    (:func:`forget_reactions_by`).
    """
    if not reacted:
        return {}
    _covered, mine = _reactions_by(viewer.pk).get_or_render(
        identity,
        lambda: (list(reacted), emojis_reacted_by(viewer, reacted)),
        timeout=lambda: FEED_CACHE_SECONDS,
        prefetched=prefetched,
        fits=lambda stored: stored[0] == list(reacted),
    )
    return mine


def forget_reactions_by(person_id: Any) -> None:
    """Their cached reactions become unreachable: now, and again once this commits
    (as :func:`invalidate_feed`, for the same reason)."""
    _reactions_by(person_id).invalidate()
    run_after_commit(_reactions_by(person_id).invalidate)


def _now_key(period: str) -> str:
    start = period_start(period)
    return start.isoformat() if start else "all"


def cached_leaderboard(
    *, period: str, department: str | None, limit: int, render: Callable[[dict[str, Any]], T]
) -> T:
    """The leaderboard as ``render`` shapes it; the rendered form is what is cached."""
    params = {
        "period": period,
        "start": _now_key(period),
        "dept": (department or "").lower(),
        "n": limit,
    }
    return cached_report(
        "leaderboard",
        params,
        lambda: render(leaderboard(period=period, department=department, limit=limit)),
    )


def cached_trending(*, period: str, limit: int, render: Callable[[dict[str, Any]], T]) -> T:
    """The trends as ``render`` shapes them, per language: they name company values."""
    params = {"period": period, "start": _now_key(period), "n": limit, "lang": get_language()}
    return cached_report("trending", params, lambda: render(trending(period=period, limit=limit)))
