from typing import Any

from rest_framework import serializers

from .actions import label_of
from .models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "action",
            "action_label",
            "actor",
            "actor_email",
            "target_type",
            "target_id",
            "details",
            "ip_address",
            "request_id",
            "user_agent",
        ]
        read_only_fields = fields

    def get_action_label(self, event: AuditEvent) -> str:
        return label_of(event.action)


class AuditQuerySerializer(serializers.Serializer[Any]):
    actor = serializers.IntegerField(required=False, min_value=1)
    action = serializers.CharField(required=False, max_length=64)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    target_type = serializers.CharField(required=False, max_length=64)
    target_id = serializers.CharField(required=False, max_length=64)
