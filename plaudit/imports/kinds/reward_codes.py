"""The reward codes import: one column of voucher codes, added to one existing reward.

Each code is encrypted as it is cleaned and keyed by its digest, so not even the
staging table holds it in the clear; the rewards app's ``add_reward_codes`` writes them.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.rewards.code_stock import add_reward_codes
from plaudit.rewards.codes import MAX_CODE_LENGTH, code_digest, encrypt_code
from plaudit.rewards.services import check_can_edit_catalog

from ..models import ImportKind
from ..runner import PendingRow, Runner
from .cleaning import Cells, CleanRow, Column, Complaint, ImportSpec, described

# The file's one column, declared once: the runner, the import page, its template and
# the docs read it. The reward the codes belong to is chosen with the upload.
CODE_LAYOUT = (
    Column(
        "code",
        described(
            gettext_lazy(
                "One voucher code per row, up to %(max_length)s characters, as people will "
                "type it; stored encrypted."
            ),
            max_length=MAX_CODE_LENGTH,
        ),
        "GIFT-7Q2M-X4KD",
        required=True,
    ),
)


def clean_code(values: dict[str, str]) -> CleanRow | list[Complaint]:
    """The code is encrypted at once: not even the staging table holds it in the clear."""
    row = Cells(values)
    code = row.text("code", max_length=MAX_CODE_LENGTH, required=True)
    if row.complaints:
        return row.complaints
    return CleanRow(key=code_digest(code), data={"ciphertext": encrypt_code(code)})


SPEC = ImportSpec(ImportKind.REWARD_CODES.value, CODE_LAYOUT, "code", clean_code)
CODE_COLUMNS = SPEC.columns


class RewardCodeRunner(Runner):
    spec = SPEC

    def run(self) -> None:
        """Only who may change the catalog may add codes: refused before the file is read."""
        check_can_edit_catalog(self.job.created_by)
        super().run()

    def duplicate_message(self, row: dict[str, Any]) -> str:
        return _("this code already appears on line %(line)s") % {"line": row["first_line"]}

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        assert self.job.reward_id is not None
        codes = [(row.key or "", row.data["ciphertext"]) for row in rows]
        added = add_reward_codes(
            reward_id=self.job.reward_id,
            codes=codes,
            actor=self.job.created_by,
            dry_run=self.job.dry_run,
        )
        return added, 0
