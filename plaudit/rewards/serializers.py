import logging
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from plaudit.core.fields import MAX_ID, WholeNumberField
from plaudit.core.translated_content_api import TranslatedContentSerializer, translations_field

from .codes import decrypt_code
from .models import MAX_REJECTION_REASON_LENGTH, Redemption, RedemptionStatus, Reward

logger = logging.getLogger(__name__)


class RewardSerializer(TranslatedContentSerializer):
    """Reward in and out; ``is_available`` and ``image`` are computed, never written here.

    Each field's bounds come from the model's validators (as the forms' do); the rules
    across fields, such as the window, are the rewards services' to judge, and so are
    the ``translations``. ``name`` and ``description`` read in the caller's language.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.PositiveIntegerField: WholeNumberField,  # JSON integers only, never "100"
    }
    category = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    is_available = serializers.BooleanField(read_only=True)
    image = serializers.SerializerMethodField()
    is_deleted = serializers.SerializerMethodField()
    translations = translations_field(Reward)

    class Meta:
        model = Reward
        fields = [
            "id",
            "name",
            "description",
            "translations",
            "cost",
            "stock",
            "per_user_limit",
            "available_from",
            "expires_at",
            "category",
            "is_active",
            "is_available",
            "image",
            "is_deleted",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_image(self, reward: Reward) -> str | None:
        return reward.image.url if reward.image else None

    def get_is_deleted(self, reward: Reward) -> bool:
        return reward.deleted_at is not None


class RewardImageSerializer(serializers.Serializer[Any]):
    image = serializers.FileField()


class RedemptionRequestSerializer(serializers.Serializer[Any]):
    # An id, not a row: redeem_reward reads the reward inside its transaction (under
    # its lock when there is stock or a limit to count); a read here would be a second.
    reward = WholeNumberField(min_value=1, max_value=MAX_ID)


def unknown_reward(reward_id: int) -> serializers.ValidationError:
    """The 400 a reward id that names no reward gets, as a related field would word it."""
    message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
    detail = ErrorDetail(message.format(pk_value=reward_id), code="does_not_exist")
    return serializers.ValidationError({"reward": [detail]})


class RejectSerializer(serializers.Serializer[Any]):
    """The body's shape, for the schema: the rejection service judges the reason itself,
    after the caller, so the view passes it on as it came."""

    reason = serializers.CharField(
        max_length=MAX_REJECTION_REASON_LENGTH,
        help_text=_("Required: the person sees it. Trimmed; not blank."),
    )


class RedemptionSerializer(serializers.ModelSerializer[Redemption]):
    reward_name = serializers.CharField(
        source="reward.localised.name",
        read_only=True,
        help_text="In the caller's language where the company translated it.",
    )
    code = serializers.SerializerMethodField(
        help_text=_("The gift-card or voucher code: only for the redeemer, once fulfilled.")
    )

    class Meta:
        model = Redemption
        fields = [
            "id",
            "reward",
            "reward_name",
            "user",
            "cost",
            "status",
            "reason",
            "decided_by",
            "code",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_code(self, redemption: Redemption) -> str | None:
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if (
            viewer is None
            or redemption.user_id != viewer.pk
            or redemption.status != RedemptionStatus.FULFILLED
        ):
            return None
        assigned = getattr(redemption, "code", None)
        if assigned is None:
            return None
        try:
            return decrypt_code(assigned.ciphertext)
        except ValueError:  # its key was dropped from PLAUDIT_CODES_KEYS: an operator's fix
            logger.error("Reward code %s cannot be decrypted with the configured keys", assigned.pk)
            return None
