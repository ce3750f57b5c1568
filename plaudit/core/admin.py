"""Admin for core tables, and the read-only base the ledger's admin shares."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IdempotencyKey


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records that only code may write (ledger lines, stored answers): look, never touch."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyModelAdmin):
    list_display = ["key", "scope", "user", "response_status", "created_at", "completed_at"]
    list_filter = ["scope", "response_status"]
    search_fields = ["key", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
