"""Which kinds of import exist: each kind's spec and runner, by the job's ``kind``.

A new kind is a new module in this package and one line in each of :data:`SPECS`
and :data:`RUNNERS`.
"""

from plaudit.imports.models import ImportKind
from plaudit.imports.runner import Runner

from . import employees, reward_codes, rewards
from .cleaning import ImportSpec

SPECS: dict[str, ImportSpec] = {
    ImportKind.EMPLOYEES: employees.SPEC,
    ImportKind.REWARDS: rewards.SPEC,
    ImportKind.REWARD_CODES: reward_codes.SPEC,
}
RUNNERS: dict[str, type[Runner]] = {
    ImportKind.EMPLOYEES: employees.EmployeeRunner,
    ImportKind.REWARDS: rewards.RewardRunner,
    ImportKind.REWARD_CODES: reward_codes.RewardCodeRunner,
}
