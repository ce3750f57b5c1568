"""Inserting many rows of one table at once: a COPY on PostgreSQL, ``bulk_create`` elsewhere.

The two hot writes of a large import go through :func:`insert_rows`: staging its rows
(:mod:`plaudit.imports.runner`) and creating its people (the people services' bulk
path, :mod:`plaudit.people.roster`). For a large import ``bulk_create`` spends most of its time
building model instances and preparing every field of every row in Python; COPY takes
the values as they are (JSON as its text). Other databases (SQLite, the embedded
default) get ``bulk_create``.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connections, models, router
from django.utils import timezone


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, with_ids: bool = False
) -> None:
    """Insert ``rows``, each the field values of one row by attname, in one statement.

    The values are those ``bulk_create`` would write: a missing field takes its default
    (a callable one called for each row), and ``auto_now``/``auto_now_add`` fields take
    the moment of the insert.

    ``with_ids``: each row gets its new primary key back under the key's attname (``"id"``),
    so rows inserted next can point at it. On PostgreSQL the ids are drawn from the
    table's sequence before the COPY; elsewhere they are what ``bulk_create`` returns
    (None on a database that cannot return them).
    """
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    assert pk is not None
    if connection.vendor != "postgresql":
        created = model._default_manager.bulk_create([model(**values) for values in rows])
        if with_ids:
            for values, instance in zip(rows, created, strict=True):
                values[pk.attname] = instance.pk
        return
    if not rows:
        return
    now = timezone.now()
    # Each column written, with how one row's value for it is made.
    writers: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        (str(field.column), _value_of(field, now=now))
        for field in model._meta.concrete_fields
        if not field.primary_key
    ]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if pk.has_default():  # a key made in Python (a UUID): each row its own
            for values in rows:
                values.setdefault(pk.attname, pk.get_default())
            writers.insert(0, (str(pk.column), _value_of(pk, now=now)))
        elif with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            for values, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
                values[pk.attname] = new_id
            writers.insert(0, (str(pk.column), _value_of(pk, now=now)))
        columns = ", ".join(quote(column) for column, _ in writers)
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row([value_of(values) for _, value_of in writers])


def _value_of(field: "models.Field[Any, Any]", *, now: datetime) -> Callable[[dict[str, Any]], Any]:
    """How a row's value for ``field`` is made, as ``bulk_create`` would make it:
    ``auto_now`` and ``auto_now_add`` are the insert's moment (whatever the row says, as
    their ``pre_save`` does); a missing value takes the field's default, a callable one
    called for each row (two rows never share a ``uuid4``); JSON goes as its text."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda values: now
    if field.has_default() and callable(field.default):
        make = field.get_default
    else:
        default = field.get_default()

        def make() -> Any:
            return default

    if isinstance(field, models.JSONField):
        return lambda values: json.dumps(values[attname] if attname in values else make())
    return lambda values: values[attname] if attname in values else make()
