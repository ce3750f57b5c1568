"""What every kind of import shares: how a kind is described, and how one row is cleaned.

A kind declares its columns once, as :class:`Column` s: name, whether a cell must hold
a value, what it holds and an example. The runner reads the names; the import page,
its downloadable template and the docs read the rest, so none of them holds a copy.

Cleaning is pure (no queries): it turns the text cells of one row into typed,
normalised values (a :class:`CleanRow`) or a list of ``(column, message)``
complaints. :class:`Cells` converts a row's cells one by one and collects the
complaints. Everything that needs the database or the rest of the file (duplicates,
managers further down, conflicts with existing people) is decided later, set-based,
by the runner.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from plaudit.core.calendar import company_zone

from ..wording import characters

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Complaint = tuple[str, str]


@dataclass
class CleanRow:
    """A row that passed its own checks, ready to be staged."""

    key: str
    data: dict[str, Any]
    email: str | None = None
    ref_key: str | None = None


def _worded(words: "str | _StrPromise", params: dict[str, Any]) -> str:
    return str(words) % {
        name: formats.number_format(value, force_grouping=True)
        if isinstance(value, int | Decimal)
        else str(value)
        for name, value in params.items()
    }


_worded_lazily = lazy(_worded, str)


def described(words: "_StrPromise", **params: Any) -> str:
    """A column's description (``gettext_lazy`` words with placeholders), worded in the
    reader's language, numbers as they read them, when it is shown: columns are
    declared at import time."""
    return _worded_lazily(words, params)


@dataclass(frozen=True)
class Column:
    """One column of a kind's file. Every column is in the header; ``required`` says
    whether its cell must hold a value (an optional cell may be left empty)."""

    name: str
    holds: "str | _StrPromise"  # what the cell holds, and in which format
    example: str = ""  # the template's example row (empty: the example leaves it empty)
    required: bool = False


@dataclass(frozen=True)
class ImportSpec:
    """What a kind of import expects: its columns, the column that keys a row, how one
    row's text cells are cleaned, and the column (if any) that names another row."""

    kind: str
    layout: tuple[Column, ...]
    key_column: str
    clean: Callable[[dict[str, str]], CleanRow | list[Complaint]]
    ref_column: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The header's column names, in the template's order (a file may use any)."""
        return tuple(column.name for column in self.layout)

    @property
    def example_row(self) -> tuple[str, ...]:
        """The template's example row: valid on an empty Plaudit (a test imports it)."""
        return tuple(column.example for column in self.layout)


def echo(value: str) -> str:
    """A cell as a complaint quotes it: at most 40 characters."""
    return value if len(value) <= 40 else value[:40] + "…"


def _is_required() -> str:
    # Translators: a cell's complaint in the errors file, read after its column's name.
    return _("is required")


class Cells:
    """Collects complaints while a row's cells are converted one by one."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.complaints: list[Complaint] = []

    def text(self, column: str, *, max_length: int | None = None, required: bool = False) -> str:
        """Trimmed text; without ``max_length`` its bounds are the service's to judge."""
        value = self.values[column].strip()
        if required and not value:
            self.complaints.append((column, _is_required()))
        elif max_length is not None and len(value) > max_length:
            self.complaints.append(
                (
                    column,
                    # Translators: a cell's complaint, read after its column's name.
                    _("is %(characters)s; at most %(max_length)s")
                    % {"characters": characters(len(value)), "max_length": max_length},
                )
            )
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        """A whole number; its bounds are the service's to judge, in every door's words."""
        value = self.values[column].strip()
        if not value:
            if required:
                self.complaints.append((column, _is_required()))
            return None
        try:
            return int(value)
        except ValueError:
            self.complaints.append(
                (column, _("'%(value)s' is not a whole number") % {"value": echo(value)})
            )
            return None

    def day(self, column: str) -> date | None:
        value = self.values[column].strip()
        if not value:
            return None
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.complaints.append(
            (column, _("'%(value)s' is not a date like 2024-03-31") % {"value": echo(value)})
        )
        return None

    def moment(self, column: str) -> datetime | None:
        value = self.values[column].strip()
        if not value:
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.complaints.append(
                (
                    column,
                    _("'%(value)s' is not a date and time like 2024-03-31T09:00:00+00:00")
                    % {"value": echo(value)},
                )
            )
            return None
        if timezone.is_naive(parsed):  # the company's wall clock, whoever runs the import
            parsed = timezone.make_aware(parsed, company_zone())
        return parsed

    def flag(self, column: str, *, default: bool) -> bool:
        value = self.values[column].strip().lower()
        if not value:
            return default
        if value in {"true", "1", "yes", "y"}:
            return True
        if value in {"false", "0", "no", "n"}:
            return False
        self.complaints.append(
            (column, _("'%(value)s' is not true or false") % {"value": echo(value)})
        )
        return default
