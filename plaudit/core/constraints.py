"""A database constraint's refusal, in words for people.

The services check every rule before they write; the database's constraints are the
last line behind them (a race, a door that skipped a check). When a write reaches
one anyway, the ``IntegrityError`` names it: people get the constraint's
``violation_error_message``, operators get its name in the log, and nobody gets
the database's own text.
"""

import logging
import re
from functools import cache

from django.apps import apps
from django.db import IntegrityError
from django.db.models import BaseConstraint, UniqueConstraint
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

logger = logging.getLogger(__name__)

# SQLite names a check constraint, and a unique one by its columns.
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")


class ConstraintViolated(DomainError):
    """A write the database refused; the detail is the constraint's own human words."""

    code = "conflict"
    title = _("Conflict")
    default_detail = _("This change conflicts with data already in Plaudit; nothing was changed.")


@cache
def _constraints() -> dict[str, BaseConstraint]:
    return {
        constraint.name: constraint
        for model in apps.get_models()
        for constraint in model._meta.constraints
    }


@cache
def _unique_constraints_by_columns() -> dict[tuple[str, frozenset[str]], UniqueConstraint]:
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                columns = frozenset(
                    str(model._meta.get_field(name).column)  # type: ignore[union-attr]
                    for name in constraint.fields
                )
                found[(model._meta.db_table, columns)] = constraint
    return found


def constraint_name(exc: IntegrityError) -> str | None:
    """The name of the constraint the database says ``exc`` broke, when it says one."""
    diagnostics = getattr(exc.__cause__, "diag", None)  # psycopg names it outright
    if diagnostics is not None and diagnostics.constraint_name:
        return str(diagnostics.constraint_name)
    message = str(exc)
    if match := _SQLITE_CHECK.search(message):
        return match["name"]
    if match := _SQLITE_UNIQUE.search(message):
        columns = [column.strip() for column in match["columns"].split(",")]
        tables = {column.partition(".")[0] for column in columns}
        if len(tables) == 1:
            key = (tables.pop(), frozenset(column.partition(".")[2] for column in columns))
            if (constraint := _unique_constraints_by_columns().get(key)) is not None:
                return constraint.name
    return None


def refusal_for(exc: IntegrityError, *, where: object = None) -> ConstraintViolated:
    """The domain error to raise or render for ``exc``: the constraint's words, logged by name."""
    name = constraint_name(exc)
    logger.warning("Refused by the database in %s: constraint %s", where or "a write", name)
    constraint = _constraints().get(name) if name else None
    if constraint is None or not has_human_message(constraint):
        return ConstraintViolated()
    return ConstraintViolated(str(constraint.get_violation_error_message()))


def has_human_message(constraint: BaseConstraint) -> bool:
    """Django's default message names the constraint: it is for operators, not people."""
    return constraint.violation_error_message != constraint.default_violation_error_message
