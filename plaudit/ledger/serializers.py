from typing import Any

from rest_framework import serializers

from plaudit.core.fields import IdField, WholeNumberField
from plaudit.core.serializers import FieldsBuiltOnce
from plaudit.people.models import User

from .models import Entry

MAX_GRANT = 1_000_000


class GrantSerializer(serializers.Serializer[Any]):
    user = IdField(queryset=User.objects.filter(is_active=True))
    amount = WholeNumberField(min_value=1, max_value=MAX_GRANT)
    reason = serializers.CharField(max_length=500)


class GrantResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(read_only=True)
    amount = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True)
    balance = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class EntrySerializer(FieldsBuiltOnce, serializers.ModelSerializer[Entry]):
    kind = serializers.CharField(source="transaction.kind", read_only=True)
    description = serializers.CharField(source="transaction.description", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "amount", "kind", "description", "created_at"]
        read_only_fields = fields
