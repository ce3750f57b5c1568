"""Admin for the events app: the outbox, notifications and webhooks, for support work.

Writes go through the services (redelivery, re-dispatch), like everywhere else.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from plaudit.core.after_commit import enqueue
from plaudit.core.wording import number

from . import services, tasks
from .models import (
    Notification,
    NotificationPreference,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["type", "id", "created_at", "dispatched_at", "attempts", "next_attempt_at"]
    list_filter = ["type", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["id", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxEvent._meta.fields]
    actions = ["dispatch_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Deliver the selected pending events now"))
    def dispatch_now(self, request: HttpRequest, queryset: QuerySet[OutboxEvent]) -> None:
        pending = list(queryset.filter(dispatched_at__isnull=True).values_list("pk", flat=True))
        queued = sum(enqueue(tasks.dispatch_event, str(event_id)) for event_id in pending)
        self.message_user(
            request,
            ngettext(
                "%(queued)s of %(count)s pending event queued.",
                "%(queued)s of %(count)s pending events queued.",
                len(pending),
            )
            % {"queued": number(queued), "count": number(len(pending))},
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "event", "created_at", "read_at", "emailed_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "outbox_event"]
    readonly_fields = ["created_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "daily_digest", "digest_sent_at"]
    list_filter = ["email_enabled", "daily_digest"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["attempted_at", "response_status", "response_time_ms", "error"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "is_active", "created_at", "created_by"]
    list_filter = ["is_active"]
    search_fields = ["url"]
    exclude = ["secret_encrypted"]  # never shown again; set through the API
    readonly_fields = ["url", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registration checks the URL (SSRF) in the service: use the API


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "response_time_ms",
        "created_at",
    ]
    list_filter = ["status", "endpoint"]
    list_select_related = ["event", "endpoint"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Deliver the selected events again"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset.select_related("endpoint", "event"):
            services.redeliver(delivery=delivery)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s redelivery queued.", "%(count)s redeliveries queued.", count)
            % {"count": number(count)},
            messages.SUCCESS,
        )
