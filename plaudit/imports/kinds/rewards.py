"""The reward catalog import: its columns, how one row is cleaned, and its upsert by SKU.

A row is keyed by ``sku``; new SKUs are created and changed rewards updated, in bulk,
by the rewards service (:func:`~plaudit.rewards.services.import_rewards`), whose rules
judge each row as it is read. A reward whose stock follows its codes keeps its stock
whatever the row says.
"""

from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from plaudit.core.errors import InvalidInput
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import (
    MAX_PER_USER_LIMIT,
    MAX_REWARD_COST,
    MAX_REWARD_DESCRIPTION_LENGTH,
    MAX_REWARD_STOCK,
    Reward,
)

from ..models import ImportKind
from ..runner import PendingRow, Runner
from .cleaning import Cells, CleanRow, Column, Complaint, ImportSpec, described

SKU_LENGTH = Reward._meta.get_field("sku").max_length
MOMENT = gettext_lazy(
    "a date and time like 2024-03-31T09:00:00+00:00 (without an offset, in Plaudit's time zone)"
)

# The file's columns, declared once: the key, then every field HR edits on a reward
# (a test holds them to ``EDITABLE_REWARD_FIELDS``). An empty optional cell clears it.
REWARD_LAYOUT = (
    Column(
        "sku",
        described(
            gettext_lazy(
                "The reward's stock-keeping unit, up to %(max_length)s characters; a row "
                "updates the reward with this SKU, or creates it."
            ),
            max_length=SKU_LENGTH,
        ),
        "MUG-01",
        required=True,
    ),
    Column(
        "name",
        described(
            gettext_lazy("Up to %(max_length)s characters."),
            max_length=Reward._meta.get_field("name").max_length,
        ),
        "Plaudit mug",
        required=True,
    ),
    Column(
        "description",
        described(
            gettext_lazy("Up to %(max_length)s characters."),
            max_length=MAX_REWARD_DESCRIPTION_LENGTH,
        ),
        "A white mug with the Plaudit logo.",
    ),
    Column(
        "category",
        described(
            gettext_lazy("Up to %(max_length)s characters."),
            max_length=Reward._meta.get_field("category").max_length,
        ),
        "Merchandise",
    ),
    Column(
        "cost",
        described(
            gettext_lazy("Points it costs: a whole number from 1 to %(max)s."), max=MAX_REWARD_COST
        ),
        "500",
        required=True,
    ),
    Column(
        "stock",
        described(
            gettext_lazy(
                "How many are left: a whole number from 0 to %(max)s; empty for "
                "unlimited. A reward whose stock follows its codes keeps its stock."
            ),
            max=MAX_REWARD_STOCK,
        ),
        "25",
    ),
    Column(
        "per_user_limit",
        described(
            gettext_lazy(
                "Redemptions per person: a whole number from 1 to %(max)s; empty for unlimited."
            ),
            max=MAX_PER_USER_LIMIT,
        ),
        "1",
    ),
    Column(
        "available_from",
        described(
            gettext_lazy("When it can first be redeemed: %(moment)s. Empty for at once."),
            moment=MOMENT,
        ),
        "2024-03-31T09:00:00+00:00",
    ),
    Column(
        "expires_at",
        described(
            gettext_lazy("When it stops: %(moment)s, after available_from. Empty for never."),
            moment=MOMENT,
        ),
    ),
    Column(
        "is_active", gettext_lazy("true or false (or yes, no, 1, 0); empty means true."), "true"
    ),
)


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


SPEC = ImportSpec(ImportKind.REWARDS.value, REWARD_LAYOUT, "sku", clean_reward)
REWARD_COLUMNS = SPEC.columns


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
