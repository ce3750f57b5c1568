"""The generic runner: how any kind of import goes in, in three phases, in bounded memory.

1. **stage** — read the file once, check each row on its own (the kind's cleaning), and
   park it in :class:`~plaudit.imports.models.StagedRow` (rejected rows too, so "the
   first row counts" holds even when the first row was bad);
2. **decide** — set-based queries reject later duplicates of a key, then whatever the
   kind adds (emails that clash, managers that exist nowhere, reporting loops); then
   the rows rejected already are told of those problems too (a row with a bad email
   and an unknown manager is listed with both), so the errors file has every problem
   of every row;
3. **apply** — chunk by chunk, the kind writes the new and the changed and leaves the
   unchanged alone, one transaction per chunk together with the job's counters, so a
   job that dies part-way can be re-run from the start and changes nothing twice.

Each kind (:mod:`plaudit.imports.kinds`) subclasses :class:`Runner` with its spec,
its own checks and its apply step (the employee import hands its rows to the people
services' bulk path). :mod:`plaudit.imports.attempts` claims a job and runs its kind's
runner; every phase moves the job's counters through :mod:`plaudit.imports.progress`,
which stops a run that a newer attempt has superseded. A row a rule refuses is
rejected with its reason; a refusal of who may act (:class:`NotAllowed`: the job's
owner lost the right mid-run) refuses no row but ends the whole run, and the job fails
with that reason.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, NamedTuple

from django.db import IntegrityError, connections, router, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from plaudit.core.bulk_insert import insert_rows
from plaudit.core.constraints import refusal_for
from plaudit.core.errors import DomainError, NotAllowed

from .errors import InvalidImportFile
from .files import CsvReader, Header, is_blank, read_header
from .kinds.cleaning import CleanRow, ImportSpec
from .models import ImportJob, RowError, StagedRow
from .progress import advance
from .spreadsheet import restore_formula
from .wording import cells as cells_of

CHUNK_ROWS = 2000

# A staged row on its way in: line, key, email, ref_key, data, rejected.
Staged = tuple[int, str | None, str | None, str | None, dict[str, Any], bool]


def _insert_staged(job: ImportJob, rows: list[Staged]) -> None:
    """Staging is the hot path of a large import: on PostgreSQL it is a COPY."""
    insert_rows(
        StagedRow,
        [
            {
                "job_id": job.pk,
                "line": line,
                "key": key,
                "email": email,
                "ref_key": ref,
                "data": data,
                "rejected": bad,
            }
            for line, key, email, ref, data, bad in rows
        ],
    )


class PendingRow(NamedTuple):
    """An accepted staged row as the apply phase reads it: a tuple, not a model instance."""

    pk: int
    line: int
    key: str | None
    ref_key: str | None
    data: dict[str, Any]


def chunks(rows: QuerySet[StagedRow], *, fields: tuple[str, ...] = ()) -> Iterator[list[Any]]:
    """Keyset pagination by line: each chunk is one short query, whatever the job's size."""
    last = 0
    while True:
        query = rows.filter(line__gt=last).order_by("line")
        chunk: list[Any] = list(
            query.values(*fields)[:CHUNK_ROWS] if fields else query[:CHUNK_ROWS]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["line"] if fields else chunk[-1].line


class Runner:
    """The three phases; each kind adds its own set-based checks and its apply step."""

    spec: ClassVar[ImportSpec]

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.refused = 0  # rows the current apply step refused (see :meth:`refuse`)

    def run(self) -> None:
        self.stage()
        self.decide()
        self.explain_rejected()
        self.apply()

    # 1. stage --------------------------------------------------------------------------

    def raw_key(self, values: dict[str, str]) -> str | None:
        key = values[self.spec.key_column].strip()
        return key if 0 < len(key) <= 255 else None

    def stage(self) -> None:
        if not self.job.file:
            raise InvalidImportFile(_("The uploaded file is no longer stored; upload it again."))
        with self.job.file.open("rb") as stored, CsvReader(stored) as reader:
            records = reader.records()
            header = self._header(records)
            staged: list[Staged] = []
            errors: list[RowError] = []
            rejected = 0
            for line, cells in records:
                if is_blank(cells):
                    continue
                row, complaints = self._clean(line, cells, header)
                staged.append(row)
                if complaints:
                    rejected += 1
                    errors.extend(
                        RowError(job=self.job, row=line, column=column, message=message)
                        for column, message in complaints
                    )
                if len(staged) >= CHUNK_ROWS:
                    self._flush(staged, errors, rejected)
                    staged, errors, rejected = [], [], 0
            self._flush(staged, errors, rejected)
        connection = connections[router.db_for_write(StagedRow)]
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner may sort the whole staging table per chunk.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(StagedRow._meta.db_table)}")

    def _header(self, records: Iterator[tuple[int, list[str]]]) -> Header:
        for _line, cells in records:
            if not is_blank(cells):
                return read_header(cells, self.spec)
        raise InvalidImportFile(_("The file is empty."))

    def _clean(
        self, line: int, cells: list[str], header: Header
    ) -> tuple[Staged, list[tuple[str, str]]]:
        if len(cells) != header.width:
            message = _("the row has %(cells)s; the header has %(width)s") % {
                "cells": cells_of(len(cells)),
                "width": header.width,
            }
            index = header.positions[self.spec.key_column]
            values = {self.spec.key_column: cells[index] if index < len(cells) else ""}
            return self._rejected(line, values), [("", message)]
        values = {
            column: restore_formula(cells[index]) for column, index in header.positions.items()
        }
        result = self.spec.clean(values)
        if isinstance(result, CleanRow):
            return (line, result.key, result.email, result.ref_key, result.data, False), []
        return self._rejected(line, values, result), result

    def _rejected(
        self, line: int, values: dict[str, str], complaints: Sequence[tuple[str, str]] = ()
    ) -> Staged:
        """A row rejected on its own keeps the row it names (unless that cell was what was
        wrong), so :meth:`explain_rejected` can tell of that reference's problems too."""
        ref = None
        column = self.spec.ref_column
        if column in values and all(bad != column for bad, _ in complaints):
            ref = values[column].strip()
        return (
            line,
            self.raw_key(values),
            None,
            ref if ref and len(ref) <= 255 else None,
            {},
            True,
        )

    def _flush(self, staged: list[Staged], errors: list[RowError], rejected: int) -> None:
        with transaction.atomic():
            _insert_staged(self.job, staged)
            RowError.objects.bulk_create(errors)
            advance(self.job, processed=rejected, failed=rejected)

    # 2. decide --------------------------------------------------------------------------

    def pending(self) -> QuerySet[StagedRow]:
        return StagedRow.objects.filter(job=self.job, rejected=False)

    def reject(
        self,
        rows: QuerySet[StagedRow],
        *,
        column: str,
        message: Callable[[dict[str, Any]], str],
        fields: tuple[str, ...] = (),
    ) -> int:
        """Reject every row of ``rows`` with a message built from its values, chunk by chunk."""
        return self._record_problems(
            rows, column=column, message=message, fields=fields, reject=True
        )

    def note(
        self,
        rows: QuerySet[StagedRow],
        *,
        column: str,
        message: Callable[[dict[str, Any]], str],
        fields: tuple[str, ...] = (),
    ) -> int:
        """Add a problem to rows rejected already, chunk by chunk: the errors file lists it
        with the row's others, and the row still counts as failed once."""
        return self._record_problems(
            rows, column=column, message=message, fields=fields, reject=False
        )

    def _record_problems(
        self,
        rows: QuerySet[StagedRow],
        *,
        column: str,
        message: Callable[[dict[str, Any]], str],
        fields: tuple[str, ...],
        reject: bool,
    ) -> int:
        total = 0
        for chunk in chunks(rows, fields=("pk", "line", "key", *fields)):
            with transaction.atomic():
                RowError.objects.bulk_create(
                    RowError(job=self.job, row=row["line"], column=column, message=message(row))
                    for row in chunk
                )
                if reject:
                    StagedRow.objects.filter(pk__in=[row["pk"] for row in chunk]).update(
                        rejected=True
                    )
                    advance(self.job, processed=len(chunk), failed=len(chunk))
                else:
                    advance(self.job)  # counts nothing; stops a run a newer one superseded
            total += len(chunk)
        return total

    def duplicate_message(self, row: dict[str, Any]) -> str:
        return _("%(column)s %(key)s already appears on line %(line)s; the first row counts") % {
            "column": self.spec.key_column,
            "key": row["key"],
            "line": row["first_line"],
        }

    def decide(self) -> None:
        earlier = StagedRow.objects.filter(
            job=self.job, key=OuterRef("key"), line__lt=OuterRef("line")
        ).order_by("line")
        duplicates = (
            self.pending()
            .annotate(first_line=Subquery(earlier.values("line")[:1]))
            .filter(first_line__isnull=False)
        )
        self.reject(
            duplicates,
            column=self.spec.key_column,
            message=self.duplicate_message,
            fields=("first_line",),
        )

    def explain_rejected(self) -> None:
        """Tell the rows rejected already (on their own, or by a check above) of the
        kind's set-based problems they have too (:meth:`note`); once the accepted rows
        are known, since a row may name another that was rejected."""

    # 3. apply ---------------------------------------------------------------------------

    def apply(self) -> None:
        for values in chunks(self.pending(), fields=PendingRow._fields):
            chunk = [PendingRow(**row) for row in values]
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        self.refused = 0
                        created, updated = self.apply_rows(chunk)
                    failed = self.refused
                except NotAllowed:
                    raise  # the owner may not do this (any more): no row can pass
                except (IntegrityError, DomainError):
                    created, updated, failed = self._apply_one_by_one(chunk)
                advance(
                    self.job,
                    processed=len(chunk),
                    created=created,
                    updated=updated,
                    failed=failed,
                )
        self.after_apply()

    def refuse(self, refusals: list[tuple[PendingRow, str, str]]) -> None:
        """Reject rows the apply step's rules refused, each with its column and why; they
        count as failed. In the chunk's transaction, so a chunk tried again row by row
        refuses them again."""
        RowError.objects.bulk_create(
            RowError(job=self.job, row=row.line, column=column, message=message)
            for row, column, message in refusals
        )
        StagedRow.objects.filter(pk__in=[row.pk for row, _, _ in refusals]).update(rejected=True)
        self.refused += len(refusals)

    def _apply_one_by_one(self, chunk: list[PendingRow]) -> tuple[int, int, int]:
        """A clash the checks could not foresee (a concurrent change): isolate its row."""
        created = updated = failed = 0
        for row in chunk:
            try:
                with transaction.atomic():
                    self.refused = 0
                    one_created, one_updated = self.apply_rows([row])
            except NotAllowed:
                raise
            except (IntegrityError, DomainError) as exc:
                failed += 1
                column, message = self._refusal(exc, line=row.line)
                RowError.objects.create(job=self.job, row=row.line, column=column, message=message)
                StagedRow.objects.filter(pk=row.pk).update(rejected=True)
            else:
                created += one_created
                updated += one_updated
                failed += self.refused
        return created, updated, failed

    def _refusal(self, exc: IntegrityError | DomainError, *, line: int) -> tuple[str, str]:
        """Why a row was refused (its column, if the rule names one, and the words): a rule's
        own, or a database constraint's human message, whose name goes to the log only."""
        if isinstance(exc, IntegrityError):
            exc = refusal_for(exc, where=f"import {self.job.pk}, line {line}")
        return (exc.field if exc.field in self.spec.columns else "") or "", str(exc.detail)

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        raise NotImplementedError

    def after_apply(self) -> None:
        """What must wait until every row is in (linking rows to rows further down)."""
