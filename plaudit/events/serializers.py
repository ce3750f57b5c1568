"""Input and output shapes of the notifications and webhooks API (api-v1.md)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import (
    EventType,
    Notification,
    NotificationPreference,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()


class ReadAllSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


class PreferenceSerializer(serializers.ModelSerializer[NotificationPreference]):
    muted_events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), max_length=len(EventType.choices)
    )

    class Meta:
        model = NotificationPreference
        fields = ["muted_events", "email_enabled", "daily_digest"]


class WebhookEndpointSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        max_length=len(EventType.choices),
    )
    secret = serializers.CharField(
        write_only=True, min_length=1, max_length=200, trim_whitespace=False
    )
    url = serializers.URLField(max_length=500)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "secret", "is_active", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("Only http and https URLs can receive webhooks."))
        return value


class WebhookAttemptSerializer(serializers.ModelSerializer[WebhookAttempt]):
    class Meta:
        model = WebhookAttempt
        fields = ["attempted_at", "response_status", "response_time_ms", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    event_type = serializers.CharField(source="event.type", read_only=True)
    log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_type",
            "status",
            "attempts",
            "response_status",
            "response_time_ms",
            "error",
            "next_attempt_at",
            "created_at",
            "completed_at",
            "redelivery_of",
            "log",
        ]
        read_only_fields = fields
