"""Teams users linked to people, cached in LinkedAccount (keyed on the Teams user id,
``29:…``, the id the webhook's activities use for the sender and for mentions).

An outgoing webhook may not call Teams' or Microsoft Graph's APIs, so Plaudit cannot ask
Teams for an address: a user is linked when an activity carries their email or user
principal name (``email``, ``userPrincipalName``, ``upn``: a tenant-verified sign-in
name), when the person confirms a link mailed to their address (:mod:`.linking`), or by
an administrator in Plaudit's admin (a linked chat account: the Teams user id, shown in
Plaudit's answer to someone it does not know, and the person).
"""

from typing import Any

from plaudit.people.models import User

from .. import services
from ..models import Workspace

ADDRESS_KEYS = ("email", "userPrincipalName", "upn")


def address_of(user: dict[str, Any]) -> str:
    for key in ADDRESS_KEYS:
        value = str(user.get(key) or "").strip()
        if "@" in value:
            return value
    return ""


def person_for_teams_user(workspace: Workspace, user: dict[str, Any]) -> User | None:
    """The person a Teams user (an activity's ``from`` or a mention's ``mentioned``) is."""
    user_id = str(user.get("id") or "")
    if not user_id:
        return None
    cached = services.linked_person(workspace, user_id)
    if cached is not None and (cached.person is not None or not address_of(user)):
        return services.person_of_link(cached)
    address = address_of(user)
    if not address:
        return None  # nothing to link by: not cached, an address may come later
    return services.link_account(workspace, user_id, email=address).person
