"""Slack users linked to people by their verified email, cached in LinkedAccount.

Slack verifies the email addresses of its users; ``users.info`` gives a Slack user's
(``users:read.email``), ``users.lookupByEmail`` a person's Slack user. Each answer is
cached, a "nobody" too, so a message is not a Web API call per mention.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from slack_sdk.errors import SlackApiError

from plaudit.people.models import User

from .. import services
from ..models import Workspace
from .client import web_client

logger = logging.getLogger(__name__)

# A Slack user whose email Slack did not give (a bot, a lookup refused) is asked again
# after this long; one with an email is matched again at once, from the cache.
RETRY_UNKNOWN_AFTER = timedelta(hours=1)


def person_for_slack_user(workspace: Workspace, user_id: str) -> User | None:
    """The person Slack user ``user_id`` is, or None (looked up once, then cached)."""
    cached = services.linked_person(workspace, user_id)
    if cached is not None and cached.person is not None:
        return cached.person if cached.person.is_active else None
    if cached is not None and cached.email:
        # Known to Slack, not (yet) to Plaudit: HR may have added them since.
        return services.link_account(workspace, user_id, email=cached.email).person
    if cached is not None and timezone.now() - cached.linked_at < RETRY_UNKNOWN_AFTER:
        return None
    try:
        answer = web_client(workspace).users_info(user=user_id)
    except SlackApiError as exc:
        logger.warning("slack users.info failed for %s: %s", user_id, exc.response.get("error"))
        if exc.response.get("error") in {"user_not_found", "user_not_visible"}:
            services.link_account(workspace, user_id, email="")
        return None
    user = answer.get("user") or {}
    if user.get("is_bot") or user.get("deleted"):
        services.link_account(workspace, user_id, email="")
        return None
    email = (user.get("profile") or {}).get("email") or ""
    return services.link_account(workspace, user_id, email=email).person


def slack_user_for_person(workspace: Workspace, person: User) -> str | None:
    """The Slack user id of ``person`` in ``workspace`` (``users.lookupByEmail``), cached."""
    known = services.external_id_of(workspace, person)
    if known:
        return known
    try:
        answer = web_client(workspace).users_lookupByEmail(email=person.email)
    except SlackApiError as exc:
        logger.info("slack users.lookupByEmail found nobody: %s", exc.response.get("error"))
        return None
    user_id = (answer.get("user") or {}).get("id")
    if not user_id:
        return None
    services.remember_link(workspace, str(user_id), person)
    return str(user_id)
