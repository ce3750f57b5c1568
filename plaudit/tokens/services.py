"""Creating, revoking and using API tokens: every door (web, API, shell) calls these.

Who may: a person creates and revokes their own tokens; HR admins may also create
service tokens (owned by them) and revoke anyone's. A token's scopes may not reach past
its owner's role: people:admin and scim are for HR admins' tokens only. (The role is
checked again on every request, so a token whose owner loses the role loses the power.)
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from plaudit.audit import actions
from plaudit.audit.services import record
from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .errors import (
    NotYourToken,
    ScopeBeyondRole,
    ServiceTokenNotAllowed,
    TokenAlreadyRevoked,
    UnknownScope,
)
from .models import ApiToken, TokenKind
from .scopes import HR_ONLY_SCOPES, unknown_scopes

TOKEN_PREFIX = "plaudit_"  # noqa: S105 (the public marker, no secret)
# 12 hex characters: finds the row; public. With 100,000 tokens stored, a new one's prefix
# clashes about once in three billion creations (the unique constraint refuses it: a 409).
PREFIX_BYTES = 6
SECRET_BYTES = 32  # 256 bits: the part that proves it; shown once
NAME_MAX_LENGTH = 100
# A token's last use is written at most this often: not a write per request.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole "plaudit_<prefix>_<secret>", shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(token: ApiToken, secret: str) -> bool:
    return hmac.compare_digest(token.secret_hash, hash_secret(secret))


def parse(raw: str) -> tuple[str, str] | None:
    """``plaudit_<prefix>_<secret>`` as (prefix, secret); None when it is not one."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    return prefix, secret


def check_can_create(owner: User, *, kind: str, scopes: list[str], name: str) -> None:
    if not name.strip() or len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(field="name")
    if not scopes or unknown_scopes(scopes):
        raise UnknownScope()
    if not owner.is_active:
        raise NotAllowed()
    hr = is_hr_admin(owner)
    if kind == TokenKind.SERVICE and not hr:
        raise ServiceTokenNotAllowed()
    if HR_ONLY_SCOPES.intersection(scopes) and not hr:
        raise ScopeBeyondRole()


def create_token(
    *,
    actor: User | None,
    name: str,
    scopes: list[str],
    kind: str = TokenKind.PERSONAL,
    expires_at: datetime | None = None,
    owner: User | None = None,
    request: Any = None,
) -> IssuedToken:
    """A new token for ``actor`` (or, from the shell where there is no actor, for
    ``owner``). ``expires_at`` None: it never expires. The secret is in the result only."""
    if actor is not None and owner is not None and owner.pk != actor.pk:
        raise NotAllowed()
    holder = actor or owner
    if holder is None:
        raise InvalidInput(field="owner")
    scopes = sorted(set(scopes))
    check_can_create(holder, kind=kind, scopes=scopes, name=name)
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(field="expires_at")
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic():
        token = ApiToken.objects.create(
            owner=holder,
            kind=kind,
            name=name.strip(),
            prefix=prefix,
            secret_hash=hash_secret(secret),
            scopes=scopes,
            created_by=actor,
            expires_at=expires_at,
        )
        record(
            actions.TOKEN_CREATED,
            actor=actor,
            target=token,
            request=request,
            name=token.name,
            prefix=prefix,
            kind=kind,
            scopes=scopes,
            owner=holder.email,
            expires_at=None if expires_at is None else expires_at.isoformat(),
        )
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}{prefix}_{secret}")


def check_can_revoke(actor: User | None, token: ApiToken) -> None:
    """HR admins revoke any token; a person their own. ``actor`` None: the shell."""
    if actor is None or is_hr_admin(actor):
        return
    if token.owner_id != actor.pk:
        raise NotYourToken()


def revoke_token(*, actor: User | None, token_id: int, request: Any = None) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        check_can_revoke(actor, token)
        if token.revoked_at is not None:
            raise TokenAlreadyRevoked()
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actions.TOKEN_REVOKED,
            actor=actor,
            target=token,
            request=request,
            name=token.name,
            prefix=token.prefix,
            owner=token.owner.email,
        )
    return token


def note_use(token: ApiToken, address: str | None) -> None:
    """Remember when and from where the token was last used, at most once a minute:
    the row in hand says when it was last written, so most requests write nothing."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
    token.last_used_at, token.last_used_ip = now, address
