"""Events and their consumers' tables.

The transactional outbox (:class:`OutboxEvent`) holds domain events recorded in the
same transaction as the change. Consumers turn each event into in-app
:class:`Notification` rows (and from there emails and WebSocket pushes) and into
:class:`WebhookDelivery` rows for the endpoints HR registered.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from plaudit.core import encryption


class EventType(models.TextChoices):
    RECOGNITION_CREATED = "recognition.created"
    RECOGNITION_ADDED_ON = "recognition.added_on"
    RECOGNITION_COMMENTED = "recognition.commented"
    RECOGNITION_COMMENT_DELETED = "recognition.comment_deleted"
    RECOGNITION_REACTED = "recognition.reacted"
    RECOGNITION_REACTION_REMOVED = "recognition.reaction_removed"
    REDEMPTION_CREATED = "redemption.created"
    REDEMPTION_APPROVED = "redemption.approved"
    REDEMPTION_REJECTED = "redemption.rejected"
    REDEMPTION_FULFILLED = "redemption.fulfilled"
    REDEMPTION_CANCELLED = "redemption.cancelled"
    POINTS_GRANTED = "points.granted"
    IMPORT_PROGRESSED = "import.progressed"
    IMPORT_FINISHED = "import.finished"
    REWARD_LOW_STOCK = "reward.low_stock"


class OutboxEvent(models.Model):
    """One thing that happened, waiting to be delivered to every consumer at least once.

    ``id`` is the event id consumers de-duplicate on; ``key`` makes recording
    itself idempotent (the same business fact recorded twice is one event).
    ``dispatched_at`` is set once every consumer has taken the event; until
    then the periodic sweep retries it from ``next_attempt_at`` on.
    """

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=50, choices=EventType.choices)
    # Translators: an outbox event's idempotency key (the same fact recorded twice).
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    data = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    request_id = models.CharField(
        _("request id"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The request that recorded it: the worker's log lines about it carry this id."),
    )

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class Notification(models.Model):
    """One event, told to one person in the app (and by email, per their preferences).

    Unique per (event, person): a re-delivered event finds its notification
    already there, which is what makes the notification consumer idempotent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    outbox_event = models.ForeignKey(
        OutboxEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("outbox event"),
    )
    event = models.CharField(_("event"), max_length=50, choices=EventType.choices)
    # Written in the person's language when the event is told (see messages.py).
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"]),
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["outbox_event", "user"], name="one_notification_per_event_and_person"
            )
        ]

    def __str__(self) -> str:
        # Translators: "recognition.created for 42": an event type and a person's id.
        return gettext("%(event)s for %(person)s") % {"event": self.event, "person": self.user_id}


class NotificationPreference(models.Model):
    """What a person wants to hear about, and how. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    muted_events = models.JSONField(
        _("muted events"),
        default=list,
        blank=True,
        help_text=_("Event types this person does not want to hear about."),
    )
    email_enabled = models.BooleanField(_("email enabled"), default=True)
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One email a day with what is unread, instead of one per event."),
    )
    digest_sent_at = models.DateTimeField(
        _("digest sent at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return gettext("Notification preferences of %(person)s") % {"person": self.user_id}


class WebhookEndpoint(models.Model):
    """A URL in another system that receives signed JSON for the chosen event types."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(
        _("events"), default=list, help_text=_("Event types delivered to this URL.")
    )
    # Encrypted at rest (plaudit.core.encryption): a database dump must not let anyone
    # sign requests that the receiving systems would trust.
    secret_encrypted = models.TextField(
        _("encrypted secret"),
        editable=False,
        help_text=_("The shared secret for Plaudit-Signature, encrypted."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def signing_secret(self) -> str:
        """The shared secret in the clear; raises ``Undecryptable`` if its key was dropped."""
        return encryption.decrypt(self.secret_encrypted)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event to one endpoint, tried until it succeeds or its retry window closes.

    The first delivery of an event to an endpoint is unique, so the webhook
    consumer is idempotent; a manual redelivery is a new row pointing at the original.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    redelivery_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redeliveries",
        verbose_name=_("redelivery of"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_time_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"],
                condition=Q(redelivery_of__isnull=True),
                name="one_delivery_per_event_and_endpoint",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP POST of a delivery: the log behind its status."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="log", verbose_name=_("delivery")
    )
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_time_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        # Translators: "attempt of 7: 503", or of 7 with the error it met.
        return gettext("attempt of %(delivery)s: %(outcome)s") % {
            "delivery": self.delivery_id,
            "outcome": self.response_status or self.error,
        }
