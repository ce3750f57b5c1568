"""The audit log: one append-only row per security-relevant fact.

Written only through :func:`plaudit.audit.services.record`. Rows are never changed or
removed: the model and its queryset refuse, the admin shows them read-only, and on
PostgreSQL a trigger refuses an UPDATE or DELETE from any client (migration 0001).

The actor is kept twice: a link for queries, and their email as it was, so a row still
says who acted if the link ever points nowhere (the link has no database constraint, so
the log never stops a person's row from going, and never changes when it does).
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Something tried to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnly("The audit log is append-only.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_email = models.CharField(_("actor's email"), max_length=254, blank=True)
    # A dotted code from plaudit.audit.actions ("token.created"): stable, not translated.
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Django's own queries (related lookups, cascades, save) refuse changes too.
        base_manager_name = "objects"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("The audit log is append-only.")

    @property
    def label(self) -> str:
        """The action in the reader's words (its code when it has none)."""
        from .actions import label_of

        return label_of(self.action)
