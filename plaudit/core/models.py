"""Cross-cutting tables: stored answers for idempotent requests."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One client-chosen key per person and endpoint, with the answer it got.

    The row is created before the work starts and holds the stored answer once
    the work is done; the work and the stored answer commit together.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scope = models.CharField(
        max_length=100, help_text=_("The endpoint, e.g. 'redemptions.create'.")
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of the request body."))
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # Django's encoder: a refusal's words may still be a lazy translation when stored; it
    # is kept as the text it reads in the request's language.
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    response_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_key_unique_per_user_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
