"""The API's view of a token: never its secret, except once in the answer that made it."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ApiToken, TokenKind
from .scopes import Scope


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    owner_email = serializers.EmailField(source="owner.email", read_only=True)
    is_usable = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "kind",
            "prefix",
            "scopes",
            "owner",
            "owner_email",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "last_used_ip",
            "is_usable",
        ]
        read_only_fields = fields


class NewApiTokenSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), min_length=1
    )
    kind = serializers.ChoiceField(choices=TokenKind.choices, default=TokenKind.PERSONAL)
    expires_in_days = serializers.IntegerField(
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_("Days until the token expires; 0 for never. Default: API_TOKEN_DAYS."),
    )

    def expires_at(self) -> Any:
        days = self.validated_data.get("expires_in_days", settings.API_TOKEN_DAYS)
        return None if days == 0 else timezone.now() + timedelta(days=days)


class IssuedApiTokenSerializer(ApiTokenSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("The whole token to send as 'Authorization: Bearer …'. Shown only here."),
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "secret"]
        read_only_fields = fields
