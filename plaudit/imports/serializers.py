from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from plaudit.rewards.models import Reward

from .models import ImportJob, ImportKind


class ImportUploadSerializer(serializers.Serializer[Any]):
    """The multipart upload; the file itself is checked by ``jobs.start_import``, not here."""

    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    dry_run = serializers.BooleanField(required=False, default=False)
    reward = serializers.PrimaryKeyRelatedField(
        queryset=Reward.all_objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For kind=reward_codes: the reward the codes belong to.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == ImportKind.REWARD_CODES and attrs.get("reward") is None:
            raise serializers.ValidationError(
                {"reward": [_("Required for a reward_codes import.")]}
            )
        return attrs


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    """The job; for a dry run ``created``/``updated`` say what *would* happen."""

    errors_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "dry_run",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "failed",
            "errors_url",
            "unknown_columns",
            "message",
            "reward",
            "original_name",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_errors_url(self, job: ImportJob) -> str:
        path = reverse("import-errors", kwargs={"version": "v1", "pk": job.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
