"""JWT authentication that finds the signed-in person in the cache, not the database.

simplejwt looks the token's user up with one query per request; on a cached read
(the catalog, say) that query is the only trip to the database. Here the person is
cached for a few minutes after the first request. Any change to a person replaces
their entry with a tombstone (see :mod:`plaudit.people.cache`, which owns the keys), so
deactivation and role changes apply to the very next request in every process (and
so does renaming their department, which the cached copy carries).

With the cache unreachable every request falls back to simplejwt's query.

The same round trip hits the person's rate-limit counters (see plaudit.core.throttling)
and fetches what the view says it will read from the cache (its
``cache_reads(request, person_id)``, found again with :func:`prefetched`): a cached read
then costs one trip to Redis, not one per concern.

Each process checks a token's signature once and remembers the result; its expiry is
checked on every request. (Access tokens cannot be revoked, only outlived: a person
is shut out by deactivation, which the lookup above applies at once.) A person whose
role must use MFA and has not enrolled is refused (:mod:`plaudit.people.mfa`).

Once the person is known, the rest of the request speaks their language and reads times
in their time zone (:mod:`plaudit.people.localisation`): middleware never sees a token's
person. The view's ``cache_reads`` were chosen before that, in the language the request
asked for; a person whose own choice differs costs that view one more cache round trip.
"""

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow

from plaudit.core.cache import get_many_and_count
from plaudit.core.throttling import COUNTED_HITS, person_counters

from .cache import person_key, remember_person
from .localisation import activate_for
from .mfa import check_required_mfa
from .models import User

PREFETCHED = "prefetched_cache"
# Verified tokens a process remembers (a few MB) before it starts again from none.
VERIFIED_TOKENS_KEPT = 10_000
_verified_tokens: dict[bytes, Token] = {}


class CachedUserJWTAuthentication(JWTAuthentication):
    def authenticate(self, request: Request) -> tuple[User, Token] | None:  # type: ignore[override]
        # simplejwt's own steps, with the request passed on to get_user.
        header = self.get_header(request)
        raw_token = None if header is None else self.get_raw_token(header)
        if raw_token is None:
            return None
        validated_token = self.get_validated_token(raw_token)
        user = self.get_user(validated_token, request)
        # A token issued before PLAUDIT_REQUIRE_MFA_FOR named this person's role (or
        # refreshed since) is refused until they enrol: 403, problem "mfa_required".
        check_required_mfa(user)
        # The session's person got theirs from PersonLocaleMiddleware; a token's is known
        # only now, so the view answers (problems included) in their language and zone.
        activate_for(request._request, user)
        return user, validated_token

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = _verified_tokens.get(raw_token)
        if token is not None:
            try:
                token.check_exp(current_time=aware_utcnow())
                return token
            except TokenError:
                _verified_tokens.pop(raw_token, None)
        token = super().get_validated_token(raw_token)  # InvalidToken (401) when it is not
        if len(_verified_tokens) >= VERIFIED_TOKENS_KEPT:
            _verified_tokens.clear()
        _verified_tokens[raw_token] = token
        return token

    def get_user(  # type: ignore[override]
        self, validated_token: Token, request: Request | None = None
    ) -> User:
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            return super().get_user(validated_token)  # type: ignore[return-value]
        key = person_key(user_id)
        counters, reads = ({}, []) if request is None else _round_trip_of(request, user_id)
        found, counted = get_many_and_count([key, *reads], counters)
        if request is not None:
            setattr(request, COUNTED_HITS, counted)
            setattr(request, PREFETCHED, {read: found.get(read) for read in reads})
        cached = found.get(key)
        if isinstance(cached, User):
            return cached
        user: User = super().get_user(validated_token)  # type: ignore[assignment]
        if cached is None:
            _ = user.department  # loaded now, so the cached copy carries it (/me/ shows it)
            remember_person(user_id, user)
        return user


class CachedUserJWTScheme(SimpleJWTScheme):
    """The OpenAPI schema's ``jwtAuth``, so a generated client knows to send the token."""

    target_class = "plaudit.people.authentication.CachedUserJWTAuthentication"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = super().get_security_definition(auto_schema)
        definition["description"] = (
            "`Authorization: Bearer <access>`, the access token from POST /api/v1/auth/token/ "
            "(a new one from POST /api/v1/auth/token/refresh/ when it expires)."
        )
        return definition


def _round_trip_of(request: Request, user_id: Any) -> tuple[dict[str, int], list[str]]:
    """The rate-limit counters this request hits and the cache keys its view will read."""
    view = (request.parser_context or {}).get("view")
    if view is None:
        return {}, []
    cache_reads = getattr(view, "cache_reads", None)
    reads = [] if cache_reads is None else [*cache_reads(request, user_id)]
    return person_counters(request, view, user_id), reads


def prefetched(request: Request) -> dict[str, Any] | None:
    """What the authentication read for the view (its ``cache_reads``): key to value, None
    for a miss. None when nothing was (a session or an anonymous caller)."""
    return getattr(request, PREFETCHED, None)
