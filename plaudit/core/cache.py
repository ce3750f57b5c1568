"""A Redis cache that degrades to a miss instead of failing the request.

The cache only ever holds copies (catalog pages, throttle counters, leaderboards);
the database stays the truth. So when Redis is unreachable every read is a miss,
every write is dropped, a warning is logged, and requests are served from the
database: slower, still correct. Short socket timeouts keep an outage cheap.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from plaudit.core.db_routing import reads_from_primary

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
Result = TypeVar("Result")


def _degrades_to(
    fallback: Callable[..., Any],
) -> Callable[[Callable[..., Result]], Callable[..., Any]]:
    def decorate(method: Callable[..., Result]) -> Callable[..., Any]:
        @wraps(method)
        def guarded(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                logger.warning("Cache unavailable during %s: %s", method.__name__, exc)
                return fallback(*args, **kwargs)

        return guarded

    return decorate


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a ``redis.Redis`` around the pool on every cache call, and building
    one copies redis-py's callback table: ~0.06 ms, several times a request (throttle,
    catalog version, page). A client is a thin, thread-safe handle on its pool, so one
    per pool serves every call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own (unstubbed) internals: the pool for this call and the client class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            new = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            client = self._clients.setdefault(id(pool), new)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key: skip Django's memcached portability warnings, a scan of
        every character of every key on each call (the page keys are URLs)."""

    get = _degrades_to(_default)(RedisCache.get)
    get_many = _degrades_to(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _degrades_to(lambda *args, **kwargs: False)(RedisCache.has_key)
    set = _degrades_to(lambda *args, **kwargs: None)(RedisCache.set)
    add = _degrades_to(lambda *args, **kwargs: False)(RedisCache.add)
    touch = _degrades_to(lambda *args, **kwargs: False)(RedisCache.touch)
    set_many = _degrades_to(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete = _degrades_to(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _degrades_to(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = _degrades_to(lambda *args, **kwargs: False)(RedisCache.clear)
    incr = _degrades_to(lambda key, delta=1, *args, **kwargs: delta)(RedisCache.incr)

    @_degrades_to(lambda key, seconds: True)
    def claim(self, key: str, seconds: int) -> bool:
        """See :func:`claim`: ``SET NX EX``; unreachable Redis fails open."""
        return bool(RedisCache.add(self, key, 1, seconds))

    def count_in_window(self, key: str, seconds: int) -> tuple[int, float]:
        """Add one to a counter that expires ``seconds`` after its first hit: one round trip.

        Unreachable Redis counts 0 (allowed).
        """
        _, counts = self.get_many_and_count([], {key: seconds})
        return counts.get(key, (0, float(seconds)))

    @_degrades_to(lambda keys, counters: ({}, {}))
    def get_many_and_count(
        self, keys: list[str], counters: dict[str, int]
    ) -> tuple[dict[str, Any], dict[str, tuple[int, float]]]:
        """``get_many(keys)`` and a hit on each counter (its key: its window in seconds), in
        one pipeline. Per counter ``INCR``, ``EXPIRE NX`` and ``PTTL``: the first hit opens
        the window, later hits only count. Unreachable Redis: all misses, nothing counted."""
        names = {self.make_and_validate_key(key): key for key in keys}
        counter_names = [self.make_and_validate_key(counter) for counter in counters]
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=False) as pipe:
            if names:
                pipe.mget(list(names))
            for name, seconds in zip(counter_names, counters.values(), strict=True):
                pipe.incr(name)
                pipe.expire(name, seconds, nx=True)
                pipe.pttl(name)
            replies = pipe.execute()
        found = {}
        if names:
            values, *replies = replies
            serializer = self._cache._serializer  # type: ignore[attr-defined]  # as get_many
            found = {
                key: serializer.loads(value)
                for key, value in zip(names.values(), values, strict=True)
                if value is not None
            }
        counts = {
            counter: (int(replies[3 * i]), max(replies[3 * i + 2], 0) / 1000)
            for i, counter in enumerate(counters)
        }
        return found, counts


def count_in_window(key: str, seconds: int) -> tuple[int, float]:
    """Hits on ``key`` in its window, this one included, and the seconds the window has left.

    A window opens with its first hit and lasts ``seconds``. One round trip on Redis;
    on any other cache (the embedded default's in-process one) ``add`` then ``incr``.
    """
    from django.core.cache import cache

    one_round_trip = getattr(cache, "count_in_window", None)
    if one_round_trip is not None:
        count, left = one_round_trip(key, seconds)
        return int(count), float(left)
    cache.add(key, 0, seconds)
    try:
        return int(cache.incr(key)), float(seconds)
    except ValueError:  # expired between add and incr: this hit opens a new window
        cache.add(key, 1, seconds)
        return 1, float(seconds)


def claim(key: str, seconds: int) -> bool:
    """True for the first caller until ``key`` is deleted or ``seconds`` pass, False after.

    For "someone already asked for this" across processes, so it fails open: on a cache
    other processes cannot see (the embedded default's) or an unreachable Redis, every
    caller is the first.
    """
    from django.core.cache import cache

    shared = getattr(cache, "claim", None)
    return True if shared is None else bool(shared(key, seconds))


def get_many_and_count(
    keys: list[str], counters: dict[str, int]
) -> tuple[dict[str, Any], dict[str, tuple[int, float]]]:
    """``cache.get_many(keys)``, and :func:`count_in_window` for each counter (its key: its
    window in seconds).

    One round trip on Redis, so a request's reads and its rate-limit hits can travel
    together (see ``plaudit.people.authentication``); two steps on any other cache.
    """
    from django.core.cache import cache

    one_round_trip = getattr(cache, "get_many_and_count", None)
    if one_round_trip is not None:
        found, counts = one_round_trip(keys, counters)
        return found, counts
    counts = {counter: count_in_window(counter, seconds) for counter, seconds in counters.items()}
    return cache.get_many(keys), counts


class VersionedPages:
    """Cached renderings of one listing (the catalog, the feed, a person's ledger lines),
    made stale all at once.

    A read is one round trip: the listing's version and the page come back together
    (``MGET``), and each page carries the version it was rendered under. A page from
    before the last change is a miss, and so is a render that overlapped a change: it
    was stored under the version read before it. Pages are rendered from the primary
    database, never from a replica that may not have the change yet. Only for pages that
    are the same for every caller who may ask in the same language and time zone: both
    are part of each page's key, as a page may hold translated words and local times
    (DRF writes datetimes in the active time zone).
    """

    def __init__(self, name: str) -> None:
        self.version_key = f"{name}:version"
        self.page_prefix = f"{name}:page"

    def keys(self, identity: str) -> list[str]:
        """What a read of the page ``identity`` fetches: the version, then the page (in
        the active language and time zone)."""
        localised = f"{identity}|{get_language()}|{get_current_timezone_name()}"
        digest = hashlib.sha256(localised.encode()).hexdigest()[:32]
        return [self.version_key, f"{self.page_prefix}:{digest}"]

    def get_or_render(
        self,
        identity: str,
        render: Callable[[], Any],
        timeout: Callable[[], int],
        prefetched: Mapping[str, Any] | None = None,
        fits: Callable[[Any], bool] | None = None,
    ) -> Any:
        """The page ``identity`` names (a normalised query), rendered on a miss.

        ``prefetched``: the :meth:`keys` already read in this request (None if missing),
        so this read makes no round trip of its own. ``fits``: a stored page it refuses
        is a miss too (one rendered for other input than this request's).
        """
        from django.core.cache import cache

        keys = self.keys(identity)
        key = keys[1]
        if prefetched is not None and all(k in prefetched for k in keys):
            found = {k: prefetched[k] for k in keys if prefetched[k] is not None}
        else:
            found = cache.get_many(keys)
        version = found.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        stored = found.get(key)
        if (
            stored is not None
            and version is not None
            and stored[0] == version
            and (fits is None or fits(stored[1]))
        ):
            return stored[1]
        with reads_from_primary():
            page = render()
        if version is not None:
            cache.set(key, (version, page), timeout=timeout())
        return page

    def invalidate(self) -> None:
        """Every cached page becomes unreachable at once (a new version)."""
        VersionedPages.invalidate_all([self])

    @staticmethod
    def invalidate_all(listings: Iterable["VersionedPages"]) -> None:
        """:meth:`invalidate` for several listings, in one round trip."""
        from django.core.cache import cache

        versions = {listing.version_key: uuid.uuid4().hex for listing in listings}
        if versions:
            cache.set_many(versions, timeout=None)
