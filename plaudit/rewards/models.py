"""The reward catalog and redemptions."""

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.core import wording
from plaudit.core.translated_content import TranslatedContent
from plaudit.core.validators import AtLeast, AtMost

# What HR edits on a reward, wherever it is edited: the API, the catalog form, the
# catalog import and its export (which re-imports cleanly because it is the same list).
EDITABLE_REWARD_FIELDS = (
    "name",
    "description",
    "category",
    "cost",
    "stock",
    "per_user_limit",
    "available_from",
    "expires_at",
    "is_active",
)


# The bounds of what HR types into a reward, defined once: the fields' validators
# below carry them to the API's serializer, the web and admin forms, the import and
# the rewards services, so every door refuses the same values in the same words.
MAX_REWARD_COST = 1_000_000_000
MAX_REWARD_STOCK = 1_000_000_000
MAX_PER_USER_LIMIT = 1_000_000_000
MAX_REWARD_DESCRIPTION_LENGTH = 10_000
MAX_REJECTION_REASON_LENGTH = 1_000
REWARD_WINDOW_MESSAGE = gettext_lazy("The reward must expire after it becomes available.")


class RewardQuerySet(models.QuerySet["Reward"]):
    def alive(self) -> "RewardQuerySet":
        """Not soft-deleted."""
        return self.filter(deleted_at__isnull=True)

    def available(self, now: datetime | None = None) -> "RewardQuerySet":
        """What people can redeem right now: active, not deleted, inside the window."""
        now = now or timezone.now()
        return self.alive().filter(
            Q(available_from__isnull=True) | Q(available_from__lte=now),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            is_active=True,
        )


class AliveRewardManager(models.Manager["Reward"]):
    """The default manager hides soft-deleted rewards; ``Reward.all_objects`` sees them."""

    def get_queryset(self) -> RewardQuerySet:
        return RewardQuerySet(self.model, using=self._db).alive()

    def available(self, now: datetime | None = None) -> RewardQuerySet:
        return self.get_queryset().available(now)


class Reward(TranslatedContent):
    translated_fields = ("name", "description")

    name = models.CharField(verbose_name=gettext_lazy("name"), max_length=200)
    sku = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=gettext_lazy("Stock-keeping unit: the key of the catalog's CSV import."),
        verbose_name=gettext_lazy("sku"),
    )
    description = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_REWARD_DESCRIPTION_LENGTH)],
        verbose_name=gettext_lazy("description"),
    )
    category = models.CharField(
        verbose_name=gettext_lazy("category"), max_length=100, blank=True, db_index=True
    )
    cost = models.PositiveIntegerField(
        help_text=gettext_lazy("Points it costs."),
        validators=[AtLeast(1), AtMost(MAX_REWARD_COST)],
        verbose_name=gettext_lazy("cost"),
    )
    stock = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty for unlimited."),
        validators=[AtLeast(0), AtMost(MAX_REWARD_STOCK)],
        verbose_name=gettext_lazy("stock"),
    )
    per_user_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=1,
        help_text=gettext_lazy("Redemptions per person; empty for unlimited."),
        validators=[AtLeast(1), AtMost(MAX_PER_USER_LIMIT)],
        verbose_name=gettext_lazy("per user limit"),
    )
    available_from = models.DateTimeField(
        verbose_name=gettext_lazy("available from"), null=True, blank=True
    )
    expires_at = models.DateTimeField(
        verbose_name=gettext_lazy("expires at"), null=True, blank=True
    )
    image = models.ImageField(
        verbose_name=gettext_lazy("image"), upload_to="rewards/", null=True, blank=True
    )
    is_active = models.BooleanField(verbose_name=gettext_lazy("is active"), default=True)
    deleted_at = models.DateTimeField(
        verbose_name=gettext_lazy("deleted at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=gettext_lazy("updated at"), auto_now=True)

    objects = AliveRewardManager()
    all_objects: ClassVar[models.Manager["Reward"]] = RewardQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("reward")
        verbose_name_plural = gettext_lazy("rewards")
        ordering = ["name", "id"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["cost"]),
            models.Index(fields=["-created_at"]),
            models.Index(
                fields=["is_active", "available_from", "expires_at"],
                condition=Q(deleted_at__isnull=True),
                name="rewards_available_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=1),
                name="reward_cost_positive",
                violation_error_message=gettext_lazy("A reward costs at least 1 point."),
            ),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0),
                name="reward_stock_not_negative",
                violation_error_message=gettext_lazy(
                    "Stock cannot be below zero; leave it empty for unlimited."
                ),
            ),
            models.CheckConstraint(
                condition=Q(per_user_limit__isnull=True) | Q(per_user_limit__gte=1),
                name="reward_per_user_limit_positive",
                violation_error_message=gettext_lazy(
                    "A per-person limit is at least 1; leave it empty for no limit."
                ),
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(expires_at__isnull=True)
                | Q(expires_at__gt=F("available_from")),
                name="reward_expires_after_it_opens",
                violation_error_message=REWARD_WINDOW_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_available_at(self, now: datetime) -> bool:
        return (
            self.is_active
            and self.deleted_at is None
            and (self.available_from is None or self.available_from <= now)
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_available(self) -> bool:
        return self.is_available_at(timezone.now())

    def closed_window_notice(self, now: datetime | None = None) -> str | None:
        """Words for HR when the reward they just saved has already expired.

        The contract allows it (it is simply not available), so it is saved, but an
        editor that said nothing would let a mistyped year pass unseen.
        """
        now = now or timezone.now()
        if self.expires_at is None or self.expires_at > now:
            return None
        expired = wording.moment(self.expires_at)
        return _(
            "%(name)s expired on %(date)s: it is saved, but nobody can redeem it "
            "until its expiry date is moved."
        ) % {"name": self.name, "date": expired}


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    APPROVED = "approved", gettext_lazy("Approved")
    FULFILLED = "fulfilled", gettext_lazy("Fulfilled")
    REJECTED = "rejected", gettext_lazy("Rejected")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


# Redemptions that use up a reward's per-person limit.
COUNTED_STATUSES = (RedemptionStatus.PENDING, RedemptionStatus.APPROVED, RedemptionStatus.FULFILLED)


class Redemption(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=gettext_lazy("user"),
    )
    reward = models.ForeignKey(
        Reward,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=gettext_lazy("reward"),
    )
    cost = models.PositiveIntegerField(
        verbose_name=gettext_lazy("cost"),
        help_text=gettext_lazy("What was paid, fixed at redemption time."),
    )
    status = models.CharField(
        max_length=20,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    reason = models.TextField(
        blank=True,
        help_text=gettext_lazy("Why it was rejected."),
        validators=[MaxLengthValidator(MAX_REJECTION_REASON_LENGTH)],
        verbose_name=gettext_lazy("reason"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=gettext_lazy("updated at"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("redemption")
        verbose_name_plural = gettext_lazy("redemptions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reward", "user", "status"]),
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.reward} ({self.status})"


class RewardCode(models.Model):
    """One gift-card or voucher code; a coded reward's stock is its unassigned codes.

    The code is stored encrypted (:mod:`plaudit.rewards.codes`), so a database dump
    alone does not reveal it; ``digest`` is a keyed hash that makes each code unique
    without storing it in the clear.
    """

    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="codes", verbose_name=gettext_lazy("reward")
    )
    ciphertext = models.TextField(verbose_name=gettext_lazy("ciphertext"))
    digest = models.CharField(verbose_name=gettext_lazy("digest"), max_length=64, unique=True)
    redemption = models.OneToOneField(
        Redemption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="code",
        verbose_name=gettext_lazy("redemption"),
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    assigned_at = models.DateTimeField(
        verbose_name=gettext_lazy("assigned at"), null=True, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("reward code")
        verbose_name_plural = gettext_lazy("reward codes")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["reward", "id"],
                condition=Q(redemption__isnull=True),
                name="rewards_code_unassigned_idx",
            )
        ]

    def __str__(self) -> str:
        # Translators: a reward code's number, for a reward's id.
        return _("Code #%(id)s for %(reward)s") % {"id": self.pk, "reward": self.reward_id}
