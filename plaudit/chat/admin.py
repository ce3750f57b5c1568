from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ChatDelivery, ChatPost, LinkedAccount, Receipt, Workspace
from .services import SECRET_FIELDS as SECRETS


class WorkspaceForm(forms.ModelForm):
    """Secrets are write-only: never shown back; left blank, the stored one is kept."""

    bot_token = forms.CharField(
        label=_("bot token"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    signing_secret = forms.CharField(
        label=_("signing secret"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    webhook_url = forms.CharField(
        label=_("incoming webhook URL"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    api_url = forms.URLField(label=_("API URL"), required=False, assume_scheme="https")
    clear_secrets = forms.BooleanField(
        label=_("Clear the stored secrets"),
        required=False,
        help_text=_("Then this workspace uses the SLACK_* settings (Slack only)."),
    )

    class Meta:
        model = Workspace
        fields = [
            "platform",
            "external_id",
            "name",
            "bot_token",
            "signing_secret",
            "webhook_url",
            "api_url",
            "channel",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECRETS:
            self.initial[name] = ""
            if self.instance.pk and getattr(self.instance, name):
                self.fields[name].help_text = _("Stored. Leave blank to keep it.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in SECRETS:
            if not data.get(name) and self.instance.pk and not data.get("clear_secrets"):
                # Blank keeps what is stored (read from the database, not the form).
                data[name] = getattr(Workspace.objects.get(pk=self.instance.pk), name)
        if data.get("clear_secrets"):
            for name in SECRETS:
                data[name] = ""
        return data


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    form = WorkspaceForm
    list_display = ["__str__", "platform", "external_id", "channel", "active"]
    list_filter = ["platform", "active"]
    search_fields = ["name", "external_id"]


@admin.register(LinkedAccount)
class LinkedAccountAdmin(admin.ModelAdmin):
    list_display = ["external_user_id", "workspace", "person", "email", "linked_at"]
    list_filter = ["workspace"]
    search_fields = ["external_user_id", "email", "person__email"]
    raw_id_fields = ["person"]
    # Added by hand for a platform that gives no email address (Teams' outgoing webhook:
    # Plaudit's answer tells the person their chat user id); the others link by email.


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["key", "workspace", "recognition", "outcome", "created_at"]
    readonly_fields = ["workspace", "key", "recognition", "outcome", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ChatDelivery)
class ChatDeliveryAdmin(admin.ModelAdmin):
    """What was sent to chat, and what waits: a platform down shows here as pending."""

    list_display = ["event", "workspace", "target", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "workspace"]
    readonly_fields = [
        "event",
        "workspace",
        "target",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "completed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ChatPost)
class ChatPostAdmin(admin.ModelAdmin):
    list_display = ["recognition", "workspace", "channel", "message_id", "created_at"]
    list_filter = ["workspace"]
    readonly_fields = ["workspace", "recognition", "channel", "message_id", "mirrored_emoji"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
