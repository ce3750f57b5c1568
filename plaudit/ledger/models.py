"""An append-only, double-entry points ledger.

Every movement of points is a :class:`Transaction` whose :class:`Entry` lines sum
to zero across :class:`Account` rows. An account's ``balance`` is a denormalised
sum of its entries, moved only by :func:`~.services.post_transaction` with an
``UPDATE balance = balance + amount`` in the transaction that inserts the entries, and
guarded by a check constraint; ``verify_ledger`` proves the two agree.
"""

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.core.validators import AtLeast, AtMost

_Row = TypeVar("_Row", bound=models.Model)


# The bounds of a grant, defined once for every door (api-v1.md: 1 to 1,000,000).
MAX_GRANT_AMOUNT = 1_000_000
GRANT_AMOUNT_VALIDATORS = (AtLeast(1), AtMost(MAX_GRANT_AMOUNT))
MAX_DESCRIPTION_LENGTH = 500  # a transaction's description; a grant's reason is one

# Enough that 64 concurrent writers rarely meet on one row; changing it later is safe,
# since the reserve is whatever the reserve accounts hold together.
RESERVE_SHARDS = 16


class AccountKind(models.TextChoices):
    BALANCE = "balance", gettext_lazy("Redeemable balance")
    ALLOWANCE = "allowance", gettext_lazy("Monthly giving allowance")
    RESERVE = "reserve", gettext_lazy("Company reserve")


class Account(models.Model):
    """A person's redeemable balance, a person's giving allowance, or the company reserve.

    Only balances must stay at or above zero. The reserve is where granted points
    come from and spent points return to; an allowance account records what its
    owner gave (so its balance is minus everything they ever gave).

    The reserve is split over ``RESERVE_SHARDS`` ownerless accounts, each person's
    postings going to one of them: every redemption, refund and grant locks its
    reserve row until commit, and a single row made them all wait in one queue.
    The company's reserve is the sum of the shards.
    """

    kind = models.CharField(
        verbose_name=gettext_lazy("kind"), max_length=20, choices=AccountKind.choices
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=gettext_lazy("owner"),
    )
    balance = models.BigIntegerField(
        verbose_name=gettext_lazy("balance"), default=0, editable=False
    )
    shard = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text=gettext_lazy("Which part of the reserve; 0 for other kinds."),
        verbose_name=gettext_lazy("shard"),
    )

    class Meta:
        verbose_name = gettext_lazy("account")
        verbose_name_plural = gettext_lazy("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.BALANCE) | Q(balance__gte=0),
                name="balance_account_not_negative",
                violation_error_message=gettext_lazy("A balance cannot go below zero."),
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.RESERVE, owner__isnull=True)
                | (~Q(kind=AccountKind.RESERVE) & Q(owner__isnull=False)),
                name="only_reserve_has_no_owner",
                violation_error_message=gettext_lazy(
                    "Every account but the company reserve belongs to a person."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "owner"],
                name="one_account_per_kind_per_owner",
                violation_error_message=gettext_lazy("A person has one account of each kind."),
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.RESERVE) | Q(shard=0),
                name="only_reserve_is_sharded",
                violation_error_message=gettext_lazy(
                    "Only the company reserve is split into parts."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "shard"],
                condition=Q(owner__isnull=True),
                name="one_reserve_account_per_shard",
                violation_error_message=gettext_lazy(
                    "The company reserve has one account per part."
                ),
            ),
        ]

    def __str__(self) -> str:
        if not self.owner_id:
            # Translators: one of the parts the company reserve is split into.
            return _("Reserve %(shard)s") % {"shard": self.shard}
        if self.kind == AccountKind.ALLOWANCE:
            return _("Monthly giving allowance of %(owner)s") % {"owner": self.owner}
        return _("Redeemable balance of %(owner)s") % {"owner": self.owner}


class TransactionKind(models.TextChoices):
    GRANT = "grant", gettext_lazy("Grant")
    REDEMPTION = "redemption", gettext_lazy("Redemption")
    REFUND = "refund", gettext_lazy("Refund")
    RECOGNITION = "recognition", gettext_lazy("Recognition")
    CELEBRATION = "celebration", gettext_lazy("Celebration")
    ADJUSTMENT = "adjustment", gettext_lazy("Adjustment")


class AppendOnlyError(Exception):
    """Ledger rows are never changed or removed; post a correcting transaction instead."""


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """A bulk ``delete()`` would skip the models' own guard and erase history: refuse it too."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger rows are append-only.")


class Transaction(models.Model):
    kind = models.CharField(
        verbose_name=gettext_lazy("kind"), max_length=20, choices=TransactionKind.choices
    )
    description = models.CharField(
        verbose_name=gettext_lazy("description"), max_length=MAX_DESCRIPTION_LENGTH, blank=True
    )
    reference = models.CharField(
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "What caused it, e.g. 'redemption:42:debit'; unique, so it is posted once."
        ),
        verbose_name=gettext_lazy("reference"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(
        verbose_name=gettext_lazy("created at"), auto_now_add=True, db_index=True
    )

    objects = AppendOnlyQuerySet["Transaction"].as_manager()

    class Meta:
        verbose_name = gettext_lazy("transaction")
        verbose_name_plural = gettext_lazy("transactions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger transactions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger transactions are append-only.")


class Entry(models.Model):
    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=gettext_lazy("transaction"),
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=gettext_lazy("account"),
    )
    amount = models.BigIntegerField(
        verbose_name=gettext_lazy("amount"),
        help_text=gettext_lazy("Signed: positive credits the account."),
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)

    objects = AppendOnlyQuerySet["Entry"].as_manager()

    class Meta:
        verbose_name = gettext_lazy("entry")
        verbose_name_plural = gettext_lazy("entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="entry_not_zero",
                violation_error_message=gettext_lazy("A ledger line moves at least one point."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} on {self.account}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger entries are append-only.")
