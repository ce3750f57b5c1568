"""Admin for the ledger: everything read-only. Points move only through ``post_transaction``."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from plaudit.core.admin import ReadOnlyModelAdmin

from .models import Account, Entry, Transaction


class EntryInline(admin.TabularInline):
    model = Entry
    fields = readonly_fields = ("account", "amount", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("account__owner")


@admin.register(Account)
class AccountAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "kind", "owner", "balance"]
    list_filter = ["kind"]
    search_fields = ["owner__email", "owner__first_name", "owner__last_name"]
    list_select_related = ["owner"]
    readonly_fields = ["kind", "owner", "balance"]


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "kind", "description", "created_by", "created_at", "reference"]
    list_filter = ["kind", "created_at"]
    search_fields = ["description", "reference", "created_by__email"]
    list_select_related = ["created_by"]
    readonly_fields = ["kind", "description", "reference", "created_by", "created_at"]
    date_hierarchy = "created_at"
    inlines = [EntryInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "transaction", "account", "amount", "created_at"]
    list_filter = ["account__kind", "transaction__kind"]
    search_fields = ["account__owner__email", "transaction__description"]
    list_select_related = ["transaction", "account__owner"]
    readonly_fields = ["transaction", "account", "amount", "created_at"]
    date_hierarchy = "created_at"
