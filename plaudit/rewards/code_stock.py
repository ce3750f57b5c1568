"""Reward codes as stock: adding codes to a reward, and re-encrypting them all.

A coded reward's stock follows its codes: the unassigned ones less the redemptions
still waiting for one. Handing a code to a redemption is part of fulfilling it, in
:mod:`.services`; the codes' encryption is :mod:`.codes`.
"""

from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from plaudit.core.after_commit import run_after_commit
from plaudit.people.models import User

from .cache import invalidate_catalog
from .codes import rotate_ciphertext
from .models import Redemption, RedemptionStatus, Reward, RewardCode
from .services import check_can_edit_catalog


def add_reward_codes(
    *, reward_id: int, codes: list[tuple[str, str]], actor: User | None, dry_run: bool = False
) -> int:
    """Add ``(digest, ciphertext)`` codes to a reward; a code already known is skipped.

    Returns how many were (or, on a dry run, would be) new. Under the reward's row lock,
    the stock becomes the unassigned codes less the redemptions still waiting for one
    (pending or approved), so redeeming keeps its single row-locked stock check.
    """
    check_can_edit_catalog(actor)
    if dry_run:
        known = RewardCode.objects.filter(digest__in=[digest for digest, _ in codes]).count()
        return len(codes) - known
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
    run_after_commit(invalidate_catalog)


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
