"""Mattermost users linked to people by their email, cached in LinkedAccount.

A user's address comes from ``GET /api/v4/users/{id}`` (the giver) or
``/users/username/{name}`` (an ``@name`` mention) with the bot's token. Mattermost
blanks the addresses a token may not see (System Console > Users and Teams > Show Email
Address off, and a bot without the permission): such an answer is not cached, so the
link works as soon as the administrator fixes it. Usernames can change, so a link is
keyed on the user's id; a username's id is kept in the cache for a few minutes only.
"""

import logging
from typing import Any

import httpx
from django.core.cache import cache

from plaudit.people.models import User

from .. import services
from ..models import Workspace
from .client import MattermostClient

logger = logging.getLogger(__name__)

USERNAME_TTL_SECONDS = 10 * 60


def _link(workspace: Workspace, user: dict[str, Any]) -> User | None:
    user_id = str(user.get("id") or "")
    if not user_id:
        return None
    if user.get("is_bot") or user.get("delete_at"):
        services.link_account(workspace, user_id, email="")
        return None
    email = str(user.get("email") or "")
    # Only an address Mattermost verified (or an account its own SSO made) names a person:
    # with verification off (Mattermost's default), anyone could type someone else's.
    if email and not (user.get("email_verified") or user.get("auth_service")):
        logger.warning("mattermost user %s has an unverified email: not linked", user_id)
        return None
    if not email:
        logger.warning(
            "mattermost hides the email of user %s: turn on Show Email Address or give "
            "the bot the permission to read addresses",
            user_id,
        )
        return None
    return services.link_account(workspace, user_id, email=email).person


def person_for_user_id(workspace: Workspace, user_id: str) -> User | None:
    """The person Mattermost user ``user_id`` is, or None (asked once, then cached)."""
    cached = services.linked_person(workspace, user_id)
    if cached is not None:
        return services.person_of_link(cached)
    try:
        user = MattermostClient(workspace).user(user_id)
    except httpx.HTTPStatusError as exc:
        logger.info("mattermost users/%s answered %s", user_id, exc.response.status_code)
        return None
    except httpx.HTTPError as exc:
        logger.warning("mattermost is unreachable: %s", exc)
        return None
    return _link(workspace, user)


def person_for_username(workspace: Workspace, username: str) -> User | None:
    """The person ``@username`` is, or None."""
    username = username.lstrip("@").lower()
    key = f"chat:mattermost:{workspace.pk}:username:{username}"
    user_id = cache.get(key)
    if user_id:
        return person_for_user_id(workspace, user_id)
    try:
        user = MattermostClient(workspace).user_by_username(username)
    except httpx.HTTPStatusError as exc:
        logger.info("mattermost users/username/%s answered %s", username, exc.response.status_code)
        return None
    except httpx.HTTPError as exc:
        logger.warning("mattermost is unreachable: %s", exc)
        return None
    if user.get("id"):
        cache.set(key, user["id"], USERNAME_TTL_SECONDS)
        cached = services.linked_person(workspace, str(user["id"]))
        if cached is not None and (cached.person is not None or not user.get("email")):
            return services.person_of_link(cached)
    return _link(workspace, user)


def mattermost_user_for_person(workspace: Workspace, person: User) -> str | None:
    """The Mattermost user id of ``person`` (``GET /users/email/{email}``), cached; None
    when Mattermost has nobody with that address. Raises :class:`httpx.HTTPError` when
    Mattermost cannot answer (the caller's delivery retries)."""
    known = services.external_id_of(workspace, person)
    if known:
        return known
    try:
        user = MattermostClient(workspace).user_by_email(person.email)
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code != 404:
            raise
        logger.info("mattermost has no user with a person's address")
        return None
    if not user.get("id"):
        return None
    services.remember_link(workspace, str(user["id"]), person)
    return str(user["id"])
