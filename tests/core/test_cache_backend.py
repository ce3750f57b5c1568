"""With REDIS_URL set, the cache is the resilient one (an outage degrades to misses)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_redis_url_configures_the_resilient_cache_with_short_timeouts():
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "cache = settings.CACHES['default']\n"
        "print(cache['BACKEND'], cache['OPTIONS']['socket_timeout'])\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["plaudit.core.cache.ResilientRedisCache", "0.5"]


def test_the_resilient_cache_keeps_one_redis_client_and_still_degrades_to_misses():
    from plaudit.core.cache import ResilientRedisCache

    unreachable = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.1}}
    )

    assert unreachable._cache.get_client() is unreachable._cache.get_client(write=True)
    assert unreachable.get("anything", "a miss") == "a miss"
    assert unreachable.get("anything", "a miss") == "a miss"


def test_an_unreachable_redis_counts_no_hits_so_rate_limits_let_requests_through():
    from plaudit.core.cache import ResilientRedisCache

    unreachable = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.1}}
    )

    assert unreachable.count_in_window("throttle_user_1", 60) == (0, 60)


def test_an_unreachable_redis_lets_every_caller_claim_so_nobody_waits_on_a_lost_claim():
    from plaudit.core.cache import ResilientRedisCache

    unreachable = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.1}}
    )

    assert unreachable.claim("events:drain-queued", 10) is True
    assert unreachable.claim("events:drain-queued", 10) is True


@pytest.mark.redis
def test_any_key_redis_can_hold_is_taken_without_memcached_warnings(settings):
    """A page's key is its URL: long, with any characters. Redis takes it as it is."""
    import warnings

    from django.core.cache import CacheKeyWarning

    from plaudit.core.cache import ResilientRedisCache

    cache = ResilientRedisCache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), {})
    key = "page:https://plaudit.example/api/v1/rewards/?category=" + "gift card " * 40

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        cache.set(key, "the page", 5)
        assert cache.get(key) == "the page"
        assert cache.get_many_and_count([key], {}) == ({key: "the page"}, {})
    cache.delete(key)
