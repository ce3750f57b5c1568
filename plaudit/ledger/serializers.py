from typing import Any

from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from plaudit.core.fields import IdField, WholeNumberField
from plaudit.core.serializers import FieldsBuiltOnce
from plaudit.people.models import User

from .models import GRANT_AMOUNT_VALIDATORS, MAX_DESCRIPTION_LENGTH, Entry


class GrantSerializer(serializers.Serializer[Any]):
    """The grant's shape; its bounds are the ledger's (``grant_points`` checks them too),
    and a blank reason or a person who has left is the service's to refuse, in its words."""

    user = IdField(queryset=User.objects.all())
    amount = WholeNumberField(validators=list(GRANT_AMOUNT_VALIDATORS))
    reason = serializers.CharField(
        allow_blank=True, validators=[MaxLengthValidator(MAX_DESCRIPTION_LENGTH)]
    )


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
