"""SCIM in the admin, read-only: groups and identities are the provider's (a change here
would be undone at its next sync). The role a group gives is set in the group-to-role
table ("Groups and roles", people.GroupRoleMapping), the same for SCIM and single
sign-on."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from plaudit.core.admin import ReadOnlyModelAdmin
from plaudit.people.models import GroupRoleMapping

from .models import ScimGroup, ScimIdentity

GROUP_FIELDS = ("display_name", "role_given", "external_id", "members", "created_at", "updated_at")


@admin.register(ScimGroup)
class ScimGroupAdmin(ReadOnlyModelAdmin):
    list_display = ["display_name", "role_given", "external_id", "updated_at"]
    search_fields = ["display_name", "external_id"]
    fields = GROUP_FIELDS
    readonly_fields = GROUP_FIELDS

    @admin.display(description=_("role its members get (from the group-to-role table)"))
    def role_given(self, obj: ScimGroup) -> str:
        mapping = GroupRoleMapping.objects.filter(group__iexact=obj.display_name).first()
        return mapping.get_role_display() if mapping else "-"


@admin.register(ScimIdentity)
class ScimIdentityAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "user_name", "external_id", "removed_at", "updated_at"]
    search_fields = ["person__email", "user_name", "external_id"]
    list_select_related = ["person"]
