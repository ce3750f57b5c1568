"""The audit log in the admin: to look at, never to touch (ReadOnlyModelAdmin)."""

from django.contrib import admin

from plaudit.core.admin import ReadOnlyModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "action", "actor_email", "target_type", "target_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target_id", "request_id"]
    date_hierarchy = "at"
