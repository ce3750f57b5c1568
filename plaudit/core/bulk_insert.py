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
from typing import Any

from django.db import connections, models, router


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, with_ids: bool = False
) -> None:
    """Insert ``rows``, each the field values of one row by attname (a missing field takes
    its default), in one statement.

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
    # (attname, default, how COPY wants the value) for every column written.
    prepared: list[tuple[str, Any, Callable[[Any], Any] | None]] = [
        (
            field.attname,
            field.get_default(),
            json.dumps if isinstance(field, models.JSONField) else None,
        )
        for field in model._meta.concrete_fields
        if not field.primary_key
    ]
    columns = [str(field.column) for field in model._meta.concrete_fields if not field.primary_key]
    if with_ids:
        prepared.insert(0, (pk.attname, None, None))
        columns.insert(0, str(pk.column))
    quote = connection.ops.quote_name
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            for values, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
                values[pk.attname] = new_id
        statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(
                    [
                        values.get(name, default)
                        if dump is None
                        else dump(values.get(name, default))
                        for name, default, dump in prepared
                    ]
                )
