"""Side effects leave a transaction through one helper, ``run_after_commit``.

It runs them only once the change commits and never lets a failing one (Redis or the
broker down) fail the change that already committed; a bare ``transaction.on_commit``
would, so none is left in Plaudit's code.
"""

from pathlib import Path

import plaudit

HELPER = Path(plaudit.__file__).parent / "core" / "after_commit.py"


def test_no_side_effect_leaves_through_a_bare_on_commit():
    bare = [
        f"{path.relative_to(HELPER.parents[2])}:{number}"
        for path in sorted(Path(plaudit.__file__).parent.rglob("*.py"))
        if path != HELPER
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "transaction.on_commit(" in line
    ]

    assert bare == []
