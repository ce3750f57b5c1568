"""CSV for spreadsheets: formula neutralising on the way out, its exact inverse on the way in.

A cell starting with ``= + - @``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (CSV injection, OWASP). Export prefixes
such a cell with an apostrophe; import removes exactly that prefix, so an export
re-imports to the same values. A value that itself starts with an apostrophe
followed by one of those characters (or another apostrophe) is prefixed too, which
keeps the mapping one-to-one.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_ESCAPED_SECOND = FORMULA_TRIGGERS | {"'"}


def neutralise_formula(value: str) -> str:
    if not value:
        return value
    if value[0] in FORMULA_TRIGGERS or (
        value[0] == "'" and len(value) > 1 and value[1] in _ESCAPED_SECOND
    ):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """Undo :func:`neutralise_formula` on a cell read from a file."""
    if len(value) > 1 and value[0] == "'" and value[1] in _ESCAPED_SECOND:
        return value[1:]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class _Echo:
    """A file-like object whose ``write`` hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """A generator of CSV lines, safe to open in a spreadsheet; memory stays flat.

    Rows are pulled from ``rows`` (itself a generator over a database cursor) only as
    the client reads, so a million rows never sit in memory at once.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([neutralise_formula(_cell(value)) for value in row])
