"""The reward catalog import: its columns, how one row is cleaned, and its upsert by SKU.

A row is keyed by ``sku``; new SKUs are created and changed rewards updated, in bulk.
A reward whose stock follows its codes keeps its stock whatever the row says.
"""

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from plaudit.rewards.cache import invalidate_catalog
from plaudit.rewards.models import (
    EDITABLE_REWARD_FIELDS,
    MAX_PER_USER_LIMIT,
    MAX_REWARD_COST,
    MAX_REWARD_STOCK,
    Reward,
    RewardCode,
)

from ..models import ImportKind
from ..runner import PendingRow, Runner
from .cleaning import Cells, CleanRow, Complaint, ImportSpec

REWARD_COLUMNS = ("sku", *EDITABLE_REWARD_FIELDS)


def clean_reward(values: dict[str, str]) -> CleanRow | list[Complaint]:
    row = Cells(values)
    sku = row.text("sku", max_length=64, required=True)
    name = row.text("name", max_length=200, required=True)
    description = row.text("description", max_length=10_000)
    category = row.text("category", max_length=100)
    cost = row.integer("cost", minimum=1, maximum=MAX_REWARD_COST, required=True)
    stock = row.integer("stock", minimum=0, maximum=MAX_REWARD_STOCK)
    per_user_limit = row.integer("per_user_limit", minimum=1, maximum=MAX_PER_USER_LIMIT)
    available_from = row.moment("available_from")
    expires_at = row.moment("expires_at")
    if available_from and expires_at and expires_at <= available_from:
        row.complaints.append(("expires_at", "must be after available_from"))
    is_active = row.flag("is_active", default=True)
    if row.complaints:
        return row.complaints
    return CleanRow(
        key=sku,
        data={
            "name": name,
            "description": description,
            "category": category,
            "cost": cost,
            "stock": stock,
            "per_user_limit": per_user_limit,
            "available_from": available_from.isoformat() if available_from else None,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "is_active": is_active,
        },
    )


SPEC = ImportSpec(ImportKind.REWARDS.value, REWARD_COLUMNS, "sku", clean_reward)


class RewardRunner(Runner):
    spec = SPEC
    FIELDS = EDITABLE_REWARD_FIELDS

    @staticmethod
    def _values(data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        for name in ("available_from", "expires_at"):
            values[name] = parse_datetime(data[name]) if data[name] else None
        return values

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        """Upsert by SKU. A coded reward's stock follows its codes, so its cell is ignored."""
        existing = {
            reward.sku: reward
            for reward in Reward.all_objects.filter(sku__in=[row.key for row in rows]).annotate(
                has_codes=Exists(RewardCode.objects.filter(reward=OuterRef("pk")))
            )
        }
        new: list[Reward] = []
        changed: list[Reward] = []
        for row in rows:
            values = self._values(row.data)
            if row.key not in existing:
                new.append(Reward(sku=row.key, **values))
                continue
            reward = existing[row.key]
            if reward.has_codes:
                values.pop("stock")
            if all(getattr(reward, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(reward, name, value)
            changed.append(reward)
        if not self.job.dry_run and (new or changed):
            now = timezone.now()
            for edited in changed:
                edited.updated_at = now
            Reward.all_objects.bulk_create(new)
            Reward.all_objects.bulk_update(changed, [*self.FIELDS, "updated_at"])
            transaction.on_commit(invalidate_catalog)
        return len(new), len(changed)
