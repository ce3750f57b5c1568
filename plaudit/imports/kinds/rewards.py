"""The reward catalog import: its columns, how one row is cleaned, and its upsert by SKU.

A row is keyed by ``sku``; new SKUs are created and changed rewards updated, in bulk,
by the rewards service (:func:`~plaudit.rewards.services.import_rewards`), whose rules
judge each row as it is read. A reward whose stock follows its codes keeps its stock
whatever the row says.
"""

from typing import Any

from django.utils.dateparse import parse_datetime

from plaudit.core.errors import InvalidInput
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import EDITABLE_REWARD_FIELDS, Reward

from ..models import ImportKind
from ..runner import PendingRow, Runner
from .cleaning import Cells, CleanRow, Complaint, ImportSpec

REWARD_COLUMNS = ("sku", *EDITABLE_REWARD_FIELDS)
SKU_LENGTH = Reward._meta.get_field("sku").max_length


def clean_reward(values: dict[str, str]) -> CleanRow | list[Complaint]:
    """Parse the row's cells, then judge the reward by the catalog's own rules
    (:func:`~plaudit.rewards.services.check_reward`), in the words every door uses."""
    row = Cells(values)
    sku = row.text("sku", max_length=SKU_LENGTH, required=True)
    reward: dict[str, Any] = {
        "name": row.text("name", required=True),
        "description": row.text("description"),
        "category": row.text("category"),
        "cost": row.integer("cost", required=True),
        "stock": row.integer("stock"),
        "per_user_limit": row.integer("per_user_limit"),
        "available_from": row.moment("available_from"),
        "expires_at": row.moment("expires_at"),
        "is_active": row.flag("is_active", default=True),
    }
    if not row.complaints:
        try:
            reward_services.check_reward(reward)
        except InvalidInput as exc:
            row.complaints.append((exc.field or "", exc.detail))
    if row.complaints:
        return row.complaints
    for name in ("available_from", "expires_at"):  # staged as JSON
        moment = reward[name]
        reward[name] = moment.isoformat() if moment else None
    return CleanRow(key=sku, data=reward)


SPEC = ImportSpec(ImportKind.REWARDS.value, REWARD_COLUMNS, "sku", clean_reward)


class RewardRunner(Runner):
    spec = SPEC

    def run(self) -> None:
        """Only who may change the catalog may import it: refused before the file is read."""
        reward_services.check_can_edit_catalog(self.job.created_by)
        super().run()

    @staticmethod
    def _values(data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        for name in ("available_from", "expires_at"):
            values[name] = parse_datetime(data[name]) if data[name] else None
        return values

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        """Upsert by SKU through the catalog's own bulk write, as the job's creator."""
        return reward_services.import_rewards(
            [(row.key or "", self._values(row.data)) for row in rows],
            actor=self.job.created_by,
            dry_run=self.job.dry_run,
        )
