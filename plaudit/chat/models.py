"""Chat workspaces, the chat accounts linked to people, and receipts of what chat did.

A :class:`Workspace` is one connection to one chat platform: a Slack workspace (team),
a Mattermost server or team, a Microsoft Teams tenant. Its secrets are stored encrypted
(:class:`~.fields.EncryptedTextField`). A :class:`LinkedAccount` caches which person a
chat user is (linked by verified email). A :class:`Receipt` makes a chat request
idempotent: the platform's retry of a request finds the receipt its first try left.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField


class Platform(models.TextChoices):
    SLACK = "slack", _("Slack")
    MATTERMOST = "mattermost", _("Mattermost")
    TEAMS = "teams", _("Microsoft Teams")


class WorkspaceQuerySet(models.QuerySet["Workspace"]):
    def active(self) -> "WorkspaceQuerySet":
        return self.filter(active=True)


class Workspace(models.Model):
    """One chat platform connection; its secrets are write-only in the admin."""

    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    external_id = models.CharField(
        _("external id"),
        max_length=255,
        help_text=_(
            "The platform's id for it: Slack's team id (T0123…), Mattermost's team id, "
            "the Teams tenant id."
        ),
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    bot_token = EncryptedTextField(
        _("bot token"),
        blank=True,
        help_text=_(
            "Slack's bot token (xoxb-…), a Mattermost bot's access token. Blank for the "
            "Slack workspace configured by SLACK_BOT_TOKEN."
        ),
    )
    signing_secret = EncryptedTextField(
        _("signing secret"),
        blank=True,
        help_text=_(
            "Slack's signing secret, a Mattermost slash command's token, a Teams "
            "outgoing webhook's HMAC key. Blank for the Slack workspace configured by "
            "SLACK_SIGNING_SECRET."
        ),
    )
    webhook_url = EncryptedTextField(
        _("incoming webhook URL"),
        blank=True,
        help_text=_("Where posts go when the platform takes them by incoming webhook."),
    )
    api_url = models.URLField(
        _("API URL"),
        blank=True,
        help_text=_("The platform's server when it is self-hosted (Mattermost)."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=255,
        blank=True,
        help_text=_("The channel every recognition is posted to (its id); blank posts none."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("chat workspace")
        verbose_name_plural = _("chat workspaces")
        ordering = ["platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="chat_workspace_unique_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name or self.external_id}"

    @property
    def uses_settings(self) -> bool:
        """The Slack workspace configured by ``SLACK_*`` settings keeps no secret of its own."""
        return self.platform == Platform.SLACK and not self.bot_token and not self.signing_secret

    def effective_bot_token(self) -> str:
        if self.bot_token:
            return self.bot_token
        return settings.SLACK_BOT_TOKEN if self.platform == Platform.SLACK else ""

    def effective_signing_secret(self) -> str:
        if self.signing_secret:
            return self.signing_secret
        return settings.SLACK_SIGNING_SECRET if self.platform == Platform.SLACK else ""

    def effective_channel(self) -> str:
        if self.channel:
            return self.channel
        return settings.SLACK_CHANNEL if self.platform == Platform.SLACK else ""


class LinkedAccount(models.Model):
    """A chat user known to be a person (linked by verified email); ``person`` is empty
    while the chat user has no Plaudit account, so the lookup is not repeated each time."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("workspace")
    )
    external_user_id = models.CharField(_("chat user id"), max_length=255)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chat_accounts",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("email"), blank=True)
    linked_at = models.DateTimeField(_("linked at"), auto_now=True)

    class Meta:
        verbose_name = _("linked chat account")
        verbose_name_plural = _("linked chat accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "external_user_id"], name="chat_account_unique_per_workspace"
            )
        ]
        indexes = [models.Index(fields=["workspace", "person"])]

    def __str__(self) -> str:
        return f"{self.external_user_id} → {self.person or '—'}"


class Receipt(models.Model):
    """What one chat request did, keyed on something the platform repeats on a retry
    (Slack's trigger_id, event_id, a view's id and hash): a second try finds it and does
    nothing again."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="receipts")
    key = models.CharField(max_length=255)
    recognition = models.ForeignKey(
        "recognition.Recognition", on_delete=models.SET_NULL, null=True, blank=True
    )
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="chat_receipt_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


# --- Outbound: posts, direct messages and reactions sent to chat -----------------------


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    # Translators: a chat message that was not needed after all (the person has no chat account).
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class ChatDelivery(models.Model):
    """One outbox event sent to one target of one workspace (its channel, a person's
    direct messages, a post's reactions), tried until it is sent or its retry window
    closes, as a webhook delivery is.

    Unique per (event, workspace, target), so an event offered twice is sent once. It
    goes with its event when the outbox purges it (weeks after the retry window).
    """

    event = models.ForeignKey(
        "events.OutboxEvent",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("event"),
    )
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("workspace")
    )
    target = models.CharField(
        _("target"),
        max_length=100,
        help_text=_("channel, person:<id> (a direct message) or reactions."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat delivery")
        verbose_name_plural = _("chat deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "workspace", "target"], name="chat_delivery_once_per_target"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="chat_delivery_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.workspace_id}/{self.target} ({self.status})"


class ChatPost(models.Model):
    """Where a recognition was posted in a workspace (Slack's channel and message ``ts``),
    so reactions can be mirrored both ways; kept as long as the recognition."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="posts", verbose_name=_("workspace")
    )
    recognition = models.ForeignKey(
        "recognition.Recognition",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recognition"),
    )
    channel = models.CharField(_("channel"), max_length=255)
    message_id = models.CharField(
        _("message id"), max_length=255, help_text=_("Slack's message ts; the platform's post id.")
    )
    mirrored_emoji = models.JSONField(
        _("mirrored reactions"),
        default=list,
        blank=True,
        help_text=_("The reactions the app itself has put on the post, mirroring Plaudit's."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat post")
        verbose_name_plural = _("chat posts")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "recognition"], name="chat_post_once_per_workspace"
            )
        ]
        indexes = [models.Index(fields=["workspace", "channel", "message_id"])]

    def __str__(self) -> str:
        return f"{self.recognition_id} → {self.channel}/{self.message_id}"


class ChatReaction(models.Model):
    """A Plaudit reaction that came from a chat workspace (someone reacted on its post
    there): mirroring leaves it out, so it does not echo back as the app's own."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    reaction = models.OneToOneField(
        "recognition.Reaction", on_delete=models.CASCADE, related_name="chat_origin"
    )

    def __str__(self) -> str:
        return f"{self.reaction_id} from {self.workspace_id}"
