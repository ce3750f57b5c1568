"""SCIM in the admin: HR sets the role each provider's group gives; the rest is the
provider's, shown read-only (a change there would be undone at its next sync)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from plaudit.core.admin import ReadOnlyModelAdmin, SavesThroughServices

from . import services
from .models import ScimGroup, ScimIdentity


@admin.register(ScimGroup)
class ScimGroupAdmin(SavesThroughServices):
    list_display = ["display_name", "role", "external_id", "updated_at"]
    list_filter = ["role"]
    search_fields = ["display_name", "external_id"]
    fields = ["display_name", "role", "external_id", "members", "created_at", "updated_at"]
    readonly_fields = ["display_name", "external_id", "members", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # groups come from the identity provider

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ScimGroup, form: Any, change: bool) -> None:
        services.set_group_role(
            actor=request.user,  # type: ignore[arg-type]
            group=obj,
            role=form.cleaned_data["role"],
            request=request,
        )


@admin.register(ScimIdentity)
class ScimIdentityAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "user_name", "external_id", "removed_at", "updated_at"]
    search_fields = ["person__email", "user_name", "external_id"]
    list_select_related = ["person"]
