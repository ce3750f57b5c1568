"""What an API token may be used for, and which scope each API view asks for.

Reading (GET, HEAD, OPTIONS) needs :attr:`Scope.READ`. A view that writes declares
``required_scopes``: a mapping from a viewset action (``"create"``) or an HTTP method
(``"POST"``) to the one scope a token needs to write there; a write it does not map is
refused to every token, so a new endpoint is closed to tokens until someone decides.
``"*"`` maps every method, reads included: the SCIM endpoints ask for ``scim`` and
nothing else, and a ``scim`` token reads nothing but them.

A scope only narrows: the token's person is still the request's user, and every role
check and service rule applies to them as to a signed-in session.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Scope(models.TextChoices):
    READ = "read", _("Read everything you can see")
    KUDOS_WRITE = "kudos:write", _("Give kudos")
    REDEMPTIONS_WRITE = "redemptions:write", _("Redeem rewards and decide redemptions")
    PEOPLE_ADMIN = "people:admin", _("Manage people (HR admins)")
    SCIM = "scim", _("SCIM provisioning (HR admins)")


# Scopes only an HR admin's token may carry: the role they need is HR's anyway.
HR_ONLY_SCOPES = frozenset({Scope.PEOPLE_ADMIN.value, Scope.SCIM.value})


def required_scope(view: Any, method: str) -> str | None:
    """The scope a token needs for ``method`` on ``view``; None when no token may."""
    declared: Mapping[str, str] = getattr(view, "required_scopes", None) or {}
    method = method.upper()
    if "*" in declared:
        return str(declared["*"])
    if method in SAFE_METHODS:
        return Scope.READ.value
    for key in (getattr(view, "action", None), method):
        if key and key in declared:
            return str(declared[key])
    return None


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    known = set(Scope.values)
    return [scope for scope in scopes if scope not in known]
