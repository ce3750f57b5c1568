"""JWT authentication that finds the signed-in person in the cache, not the database.

simplejwt looks the token's user up with one query per request; on a cached read
(the catalog, say) that query is the only trip to the database. Here the person is
cached for a few minutes after the first request. Any change to a person replaces
their entry with a tombstone, at once and again after the transaction commits, so
deactivation and role changes apply to the very next request in every process:

- a reader that finds a tombstone loads from the database and does not cache;
- a reader that loaded a person just before the change stores them with ``add``,
  which a tombstone (set by the change) refuses, so a stale copy never lands.

With the cache unreachable every request falls back to simplejwt's query.
"""

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from plaudit.core.after_commit import run_after_commit

from .models import User

CACHE_SECONDS = 300
# Far longer than the moment between a reader's query and its cache ``add``; short, as
# a tombstone also stops caching the person until it expires.
TOMBSTONE_SECONDS = 10
TOMBSTONE = "changed"


def _key(user_id: Any) -> str:
    return f"auth:user:{user_id}"


class CachedUserJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            return super().get_user(validated_token)  # type: ignore[return-value]
        key = _key(user_id)
        cached = cache.get(key)
        if isinstance(cached, User):
            return cached
        user: User = super().get_user(validated_token)  # type: ignore[assignment]
        if cached is None:
            cache.add(key, user, CACHE_SECONDS)
        return user


def forget_cached_people(user_ids: Iterable[Any]) -> None:
    """Make the next request of each person read them from the database again."""
    keys = {_key(user_id): TOMBSTONE for user_id in user_ids}
    if not keys:
        return
    cache.set_many(keys, TOMBSTONE_SECONDS)
    run_after_commit(lambda: cache.set_many(keys, TOMBSTONE_SECONDS))
