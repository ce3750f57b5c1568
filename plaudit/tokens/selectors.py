"""Which tokens a person may see: their own; HR admins every token."""

from typing import Any

from plaudit.people.roles import is_hr_admin

from .models import ApiToken, ApiTokenQuerySet


def tokens_visible_to(user: Any) -> ApiTokenQuerySet:
    tokens = ApiToken.objects.select_related("owner", "created_by", "revoked_by")
    if is_hr_admin(user):
        return tokens
    return tokens.filter(owner_id=user.pk)


def own_tokens(user: Any) -> ApiTokenQuerySet:
    return ApiToken.objects.select_related("owner").filter(owner_id=user.pk)
