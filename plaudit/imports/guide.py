"""What a person is shown of each kind of import: its columns, and a template to fill in.

Read from each kind's one declaration of its columns
(:class:`~plaudit.imports.kinds.cleaning.Column`), so the import page, the downloadable
template and the file the runner reads cannot disagree.
"""

from dataclasses import dataclass

from django.utils.text import capfirst

from .kinds.cleaning import Column, ImportSpec
from .kinds.registry import SPECS
from .spreadsheet import csv_lines
from .wording import kind_name


@dataclass(frozen=True)
class KindGuide:
    kind: str
    spec: ImportSpec

    @property
    def name(self) -> str:
        """``Reward codes``."""
        return capfirst(kind_name(self.kind))

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.spec.layout

    @property
    def filename(self) -> str:
        return f"plaudit-{self.kind.replace('_', '-')}-template.csv"

    @property
    def template(self) -> str:
        """The header and one example row, as CSV: valid as it is on an empty Plaudit."""
        return "".join(csv_lines(self.spec.columns, [self.spec.example_row]))


def guides() -> list[KindGuide]:
    return [KindGuide(kind, spec) for kind, spec in SPECS.items()]


def guide_of(kind: str) -> KindGuide | None:
    spec = SPECS.get(kind)
    return KindGuide(kind, spec) if spec is not None else None
