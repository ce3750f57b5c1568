"""Each kind declares its columns once; the declaration tells the truth about the rules."""

import pytest

from plaudit.imports.kinds.cleaning import CleanRow
from plaudit.imports.kinds.registry import SPECS
from plaudit.imports.kinds.rewards import REWARD_COLUMNS
from plaudit.rewards.models import EDITABLE_REWARD_FIELDS

KINDS = list(SPECS)


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_row_passes_the_kinds_own_checks(kind):
    spec = SPECS[kind]

    assert isinstance(spec.clean(dict(zip(spec.columns, spec.example_row, strict=True))), CleanRow)


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind, spec in SPECS.items() for column in spec.layout],
    ids=lambda value: getattr(value, "name", value),
)
def test_a_column_declared_required_is_required_and_one_declared_optional_may_be_empty(
    kind, column
):
    spec = SPECS[kind]
    values = dict(zip(spec.columns, spec.example_row, strict=True)) | {column.name: ""}

    result = spec.clean(values)

    if column.required:
        assert result == [(column.name, "is required")]
    else:
        assert isinstance(result, CleanRow)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_says_what_it_holds_and_the_key_is_required(kind):
    spec = SPECS[kind]

    assert all(column.holds.strip() for column in spec.layout)
    assert len(set(spec.columns)) == len(spec.columns)
    assert next(c for c in spec.layout if c.name == spec.key_column).required


def test_the_reward_import_has_a_column_for_every_field_hr_edits():
    assert ("sku", *EDITABLE_REWARD_FIELDS) == REWARD_COLUMNS
