"""Every write to the catalog and to redemptions.

Lock order, shared by every function here: redemption row, then reward row,
then ledger accounts in primary-key order (taken by ``post_transaction``).
"""

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from plaudit.core.errors import InvalidTransition
from plaudit.core.services import check_fields
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.ledger.models import TransactionKind
from plaudit.ledger.services import balance_and_reserve, post_transaction
from plaudit.people.models import User
from plaudit.people.roles import Role

from .cache import invalidate_catalog
from .codes import rotate_ciphertext
from .errors import AlreadyRedeemed, NoCodeAvailable, OutOfStock, RewardUnavailable
from .images import validate_reward_image
from .models import (
    COUNTED_STATUSES,
    EDITABLE_REWARD_FIELDS,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardCode,
)

REWARD_FIELDS = frozenset(EDITABLE_REWARD_FIELDS)


def _hr_admin_ids() -> list[int]:
    return list(
        User.objects.filter(Q(role=Role.HR_ADMIN) | Q(is_superuser=True), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _record_redemption_event(type: EventType, redemption: Redemption, *, actor: User) -> None:
    """Outbox event for a redemption's move, in the caller's transaction.

    The redeemer hears about decisions on their request; the people who decide
    (their manager, or HR admins when they have none) hear about new and cancelled ones.
    """
    redeemer = redemption.user
    if type in (EventType.REDEMPTION_CREATED, EventType.REDEMPTION_CANCELLED):
        recipients = [redeemer.manager_id] if redeemer.manager_id else _hr_admin_ids()
    else:
        recipients = [redeemer.pk]
    record_event(
        type,
        {
            "redemption": redemption.pk,
            "reward": redemption.reward_id,
            "reward_name": redemption.reward.name,
            "cost": redemption.cost,
            "status": redemption.status,
            "reason": redemption.reason,
            "user": redeemer.pk,
            "user_name": str(redeemer),
            "actor": actor.pk,
            "recipients": [person for person in recipients if person != actor.pk],
        },
        key=f"redemption:{redemption.pk}:{redemption.status}",
    )


def _record_low_stock(reward: Reward, *, stock_before: int, stock_after: int) -> None:
    """HR hears when a redemption takes a reward's stock down to the threshold."""
    threshold = settings.PLAUDIT["LOW_STOCK_THRESHOLD"]
    if stock_after <= threshold < stock_before:
        record_event(
            EventType.REWARD_LOW_STOCK,
            {
                "reward": reward.pk,
                "reward_name": reward.name,
                "stock": stock_after,
                "threshold": threshold,
                "recipients": _hr_admin_ids(),
            },
        )


def create_reward(**fields: Any) -> Reward:
    check_fields(fields, REWARD_FIELDS, kind="reward")
    return Reward.objects.create(**fields)


def update_reward(reward: Reward, **changes: Any) -> Reward:
    check_fields(changes, REWARD_FIELDS, kind="reward")
    for name, value in changes.items():
        setattr(reward, name, value)
    reward.save(update_fields=[*changes, "updated_at"])
    return reward


def delete_reward(reward: Reward) -> None:
    """Soft delete: gone from every list and not redeemable; redemptions stay."""
    if reward.deleted_at is None:
        reward.deleted_at = timezone.now()
        reward.save(update_fields=["deleted_at", "updated_at"])


def set_reward_image(reward: Reward, upload: UploadedFile) -> Reward:
    extension = validate_reward_image(upload)
    old = reward.image.name if reward.image else None
    name = f"{PurePath(upload.name or 'reward').stem or 'reward'}.{extension}"
    reward.image.save(name, upload, save=False)
    reward.save(update_fields=["image", "updated_at"])
    if old and old != reward.image.name:
        transaction.on_commit(lambda: reward.image.storage.delete(old))
    return reward


def deactivate_expired_rewards(now: datetime | None = None) -> list[Reward]:
    """Switch off active rewards whose window has closed; running it twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Reward.objects.select_for_update().filter(is_active=True, expires_at__lte=now)
        )
        for reward in expired:
            reward.is_active = False
            reward.save(update_fields=["is_active", "updated_at"])
    return expired


def redeem_reward(*, user: User, reward_id: int) -> Redemption:
    """Spend ``user``'s points on a reward; stock and limits are decided under its row lock.

    Holding that lock serialises redemptions of one reward, so stock and the
    per-person limit are checked against committed state. A reward with neither
    has nothing to count, so it is not locked and its redemptions run side by side.
    ``post_transaction`` checks the balance read here and takes the account locks as it
    debits; the database's check constraints refuse a negative stock or balance.
    Raises ``Reward.DoesNotExist`` for an id that names no reward.
    """
    with transaction.atomic():
        reward = Reward.all_objects.get(pk=reward_id)
        if reward.stock is not None or reward.per_user_limit is not None:
            reward = Reward.all_objects.select_for_update().get(pk=reward_id)
        if not reward.is_available_at(timezone.now()):
            raise RewardUnavailable()
        if reward.per_user_limit is not None:
            used = Redemption.objects.filter(
                user=user, reward=reward, status__in=COUNTED_STATUSES
            ).count()
            if used >= reward.per_user_limit:
                raise AlreadyRedeemed()
        if reward.stock is not None and reward.stock < 1:
            raise OutOfStock()

        redemption = Redemption.objects.create(user=user, reward=reward, cost=reward.cost)
        if reward.stock is not None:
            Reward.all_objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
            transaction.on_commit(invalidate_catalog)
            _record_low_stock(reward, stock_before=reward.stock, stock_after=reward.stock - 1)
        balance, reserve = balance_and_reserve(user)
        post_transaction(
            kind=TransactionKind.REDEMPTION,
            legs=[(balance, -reward.cost), (reserve, reward.cost)],
            description=f"Redeemed {reward.name}",
            created_by=user,
            reference=f"redemption:{redemption.pk}:debit",
        )
        _record_redemption_event(EventType.REDEMPTION_CREATED, redemption, actor=user)
    return redemption


def _move(
    redemption_id: int, *, allowed_from: RedemptionStatus, to: RedemptionStatus
) -> Redemption:
    """Lock the redemption and check the move is in the lifecycle; caller is in a transaction."""
    redemption = (
        Redemption.objects.select_for_update().select_related("reward").get(pk=redemption_id)
    )
    if redemption.status != allowed_from:
        raise InvalidTransition(
            f"This redemption is {redemption.status}; only a {allowed_from} one can become {to}."
        )
    redemption.status = to
    return redemption


def approve_redemption(*, redemption_id: int, actor: User) -> Redemption:
    with transaction.atomic():
        redemption = _move(
            redemption_id, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.APPROVED
        )
        redemption.decided_by = actor
        redemption.save(update_fields=["status", "decided_by", "updated_at"])
        _record_redemption_event(EventType.REDEMPTION_APPROVED, redemption, actor=actor)
    return redemption


def fulfil_redemption(*, redemption_id: int, actor: User) -> Redemption:
    with transaction.atomic():
        redemption = _move(
            redemption_id, allowed_from=RedemptionStatus.APPROVED, to=RedemptionStatus.FULFILLED
        )
        _assign_code(redemption)
        redemption.save(update_fields=["status", "updated_at"])
        _record_redemption_event(EventType.REDEMPTION_FULFILLED, redemption, actor=actor)
    return redemption


def _refund(redemption: Redemption, *, actor: User, why: str) -> None:
    """Give the points back and put the item back in stock, as ledger lines."""
    reward = redemption.reward
    if reward.stock is not None:
        Reward.all_objects.filter(pk=reward.pk).update(stock=F("stock") + 1)
        transaction.on_commit(invalidate_catalog)
    balance, reserve = balance_and_reserve(redemption.user)
    post_transaction(
        kind=TransactionKind.REFUND,
        legs=[(reserve, -redemption.cost), (balance, redemption.cost)],
        description=f"Refund for {reward.name}: {why}",
        created_by=actor,
        reference=f"redemption:{redemption.pk}:refund",
    )


def reject_redemption(*, redemption_id: int, actor: User, reason: str) -> Redemption:
    with transaction.atomic():
        redemption = _move(
            redemption_id, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.REJECTED
        )
        redemption.decided_by = actor
        redemption.reason = reason
        redemption.save(update_fields=["status", "decided_by", "reason", "updated_at"])
        _refund(redemption, actor=actor, why=f"rejected ({reason})" if reason else "rejected")
        _record_redemption_event(EventType.REDEMPTION_REJECTED, redemption, actor=actor)
    return redemption


def cancel_redemption(*, redemption_id: int, actor: User) -> Redemption:
    with transaction.atomic():
        redemption = _move(
            redemption_id, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.CANCELLED
        )
        redemption.save(update_fields=["status", "updated_at"])
        _refund(redemption, actor=actor, why="cancelled")
        _record_redemption_event(EventType.REDEMPTION_CANCELLED, redemption, actor=actor)
    return redemption


# --- Reward codes (gift cards, vouchers) ----------------------------------------------


def _assign_code(redemption: Redemption) -> None:
    """A coded reward hands exactly one unassigned code to the redemption being fulfilled.

    ``skip_locked`` lets concurrent fulfilments each take a different code instead of
    queueing on the same row; the one-to-one column refuses a second code for one
    redemption. Stock is untouched: it was taken when the redemption was made.
    Caller holds the redemption's lock.
    """
    if not RewardCode.objects.filter(reward_id=redemption.reward_id).exists():
        return
    code = (
        RewardCode.objects.select_for_update(skip_locked=True)
        .filter(reward_id=redemption.reward_id, redemption__isnull=True)
        .order_by("pk")
        .first()
    )
    if code is None:
        raise NoCodeAvailable()
    code.redemption = redemption
    code.assigned_at = timezone.now()
    code.save(update_fields=["redemption", "assigned_at"])


def add_reward_codes(*, reward_id: int, codes: list[tuple[str, str]]) -> int:
    """Add ``(digest, ciphertext)`` codes to a reward; a code already known is skipped.

    Returns how many were new. Under the reward's row lock, the stock becomes the
    unassigned codes less the redemptions still waiting for one (pending or
    approved), so redeeming keeps its single row-locked stock check.
    """
    with transaction.atomic():
        Reward.all_objects.select_for_update().filter(pk=reward_id).get()
        before = RewardCode.objects.filter(reward_id=reward_id).count()
        RewardCode.objects.bulk_create(
            [
                RewardCode(reward_id=reward_id, digest=digest, ciphertext=ciphertext)
                for digest, ciphertext in codes
            ],
            ignore_conflicts=True,
        )
        added = RewardCode.objects.filter(reward_id=reward_id).count() - before
        if added:
            _restock_from_codes(reward_id)
    return added


def _count(rows: Any) -> Subquery:
    return Subquery(rows.order_by().values("reward_id").annotate(n=Count("pk")).values("n")[:1])


def _restock_from_codes(reward_id: int) -> None:
    """One statement, so both counts come from one snapshot. Caller holds the reward lock."""
    unassigned = _count(
        RewardCode.objects.filter(reward_id=OuterRef("pk"), redemption__isnull=True)
    )
    waiting = _count(
        Redemption.objects.filter(
            reward_id=OuterRef("pk"),
            status__in=[RedemptionStatus.PENDING, RedemptionStatus.APPROVED],
        )
    )
    Reward.all_objects.filter(pk=reward_id).update(
        stock=Greatest(Coalesce(unassigned, Value(0)) - Coalesce(waiting, Value(0)), Value(0))
    )
    transaction.on_commit(invalidate_catalog)


def rotate_reward_codes(*, batch_size: int = 1000) -> int:
    """Re-encrypt every code with the newest key, so an older key can then be removed.

    Batches in primary-key order, each under its rows' locks, so a fulfilment
    running meanwhile waits for its code's batch instead of reading a stale value.
    """
    rotated, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                RewardCode.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")[:batch_size]
            )
            for code in batch:
                code.ciphertext = rotate_ciphertext(code.ciphertext)
            RewardCode.objects.bulk_update(batch, ["ciphertext"])
        if not batch:
            return rotated
        rotated += len(batch)
        last = batch[-1].pk
