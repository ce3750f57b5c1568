"""Every write of the import pipeline: start a job, run it, re-run it.

The API, the admin's import page and ``manage.py import_csv`` all call
:func:`start_import`; the Celery task (or the command, in-process) calls
:func:`process_import`. A job runs in three phases, each in bounded memory:

1. **stage** — read the file once, check each row on its own, and park it in
   :class:`StagedRow` (rejected rows too, so "the first row counts" holds even
   when the first row was bad);
2. **decide** — set-based queries reject later duplicates, emails that clash,
   managers that exist neither in Plaudit nor among the accepted rows, and
   managers that would make a reporting line loop back on itself;
3. **apply** — chunk by chunk, bulk-create the new, bulk-update the changed and
   leave the unchanged alone, one transaction per chunk together with the
   job's progress counters, so a job that dies part-way can be re-run from the
   start and changes nothing twice.
"""

import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import uuid4

from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from plaudit.core.after_commit import enqueue_after_commit, run_after_commit
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.realtime import push_import_progress
from plaudit.people.cache import forget_cached_people
from plaudit.people.models import Department, User
from plaudit.recognition.cache import invalidate_feed
from plaudit.rewards.cache import invalidate_catalog
from plaudit.rewards.models import EDITABLE_REWARD_FIELDS, Reward, RewardCode
from plaudit.rewards.services import add_reward_codes

from . import leases
from .errors import ImportNotRestartable, InvalidImportFile
from .files import CsvReader, Header, check_size, inspect_csv, is_blank, read_header
from .kinds import SPECS, CleanRow, ImportSpec
from .models import ImportJob, ImportKind, ImportStatus, RowError, StagedRow
from .spreadsheet import restore_formula

logger = logging.getLogger(__name__)

CHUNK_ROWS = 2000
# Times in a row a job is started again on its own after its worker died.
MAX_RESUMES = 2
GAVE_UP_MESSAGE = (
    f"Its worker stopped {MAX_RESUMES + 1} times while running it, so it was not started "
    "again. A file too large for the worker's memory or time limit does this; fix that and "
    "re-run it."
)
# A job still queued this long after it was sent is sent again: its message was lost.
QUEUED_RESEND_SECONDS = 5 * 60
PROGRESS_PUSH_SECONDS = 1.0


# A staged row on its way in: line, key, email, ref_key, data, rejected.
Staged = tuple[int, str | None, str | None, str | None, dict[str, Any], bool]


def _insert_staged(job: ImportJob, rows: list[Staged]) -> None:
    """Staging is the hot path of a large import: on PostgreSQL it is a COPY."""
    connection = connections[router.db_for_write(StagedRow)]
    if connection.vendor != "postgresql":
        StagedRow.objects.bulk_create(
            StagedRow(
                job=job, line=line, key=key, email=email, ref_key=ref, data=data, rejected=bad
            )
            for line, key, email, ref, data, bad in rows
        )
        return
    table = connection.ops.quote_name(StagedRow._meta.db_table)
    columns = "job_id, line, key, email, ref_key, data, rejected, awaits_link"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for line, key, email, ref, data, bad in rows:
            copy.write_row((job.pk, line, key, email, ref, json.dumps(data), bad, False))


class PendingRow(NamedTuple):
    """An accepted staged row as the apply phase reads it: a tuple, not a model instance."""

    pk: int
    line: int
    key: str | None
    ref_key: str | None
    data: dict[str, Any]


def _insert_people(people: list[dict[str, Any]]) -> None:
    """New people (field values by attname) in one go; each gets its ``"id"`` back.

    On PostgreSQL a COPY, with ids drawn from the table's sequence first: for a large
    import ``bulk_create`` spends most of its time building model instances and
    preparing every field of every row in Python, and COPY takes the values as they
    are. Elsewhere, ``bulk_create``. The ids let reports point at managers inserted a
    moment before.
    """
    connection = connections[router.db_for_write(User)]
    fields = [field for field in User._meta.concrete_fields if not field.primary_key]
    if connection.vendor != "postgresql":
        created = User.objects.bulk_create([User(**values) for values in people])
        for values, person in zip(people, created, strict=True):
            values["id"] = person.pk
        return
    if not people:
        return
    defaults = {field.attname: field.get_default() for field in fields}
    table, pk = User._meta.db_table, str(User._meta.pk.column)
    columns = ", ".join(connection.ops.quote_name(name) for name in [pk, *defaults])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(people)],
        )
        for values, (new_id,) in zip(people, cursor.fetchall(), strict=True):
            values["id"] = new_id
        quoted = connection.ops.quote_name(table)
        with cursor.cursor.copy(f"COPY {quoted} ({columns}) FROM STDIN") as copy:
            for values in people:
                copy.write_row([values["id"], *(values.get(n, d) for n, d in defaults.items())])


class Superseded(Exception):
    """Another run of the same job has started; this one stops without writing more."""


# --- Starting -------------------------------------------------------------------------


def start_import(
    *,
    upload: File,  # type: ignore[type-arg,unused-ignore]
    kind: str,
    created_by: User | None,
    dry_run: bool = False,
    reward_id: int | None = None,
    in_background: bool = True,
) -> ImportJob:
    """Check the file, store it and queue the job; raise before anything is stored if bad.

    ``in_background=False`` leaves running to the caller (the management command
    runs :func:`process_import` in its own process).
    """
    if kind not in SPECS:
        raise InvalidImportFile(f"'{kind}' is not a kind of import; use {', '.join(SPECS)}.")
    spec = SPECS[kind]
    if kind == ImportKind.REWARD_CODES and (
        reward_id is None or not Reward.all_objects.filter(pk=reward_id).exists()
    ):
        raise InvalidImportFile("A reward_codes import needs the id of an existing reward.")
    check_size(upload.size)
    upload.seek(0)
    inspection = inspect_csv(upload, spec)
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        dry_run=dry_run,
        reward_id=reward_id if kind == ImportKind.REWARD_CODES else None,
        created_by=created_by,
        original_name=(upload.name or "")[-255:],
        total_rows=inspection.total_rows,
        unknown_columns=inspection.header.unknown,
        queued_at=timezone.now(),
    )
    # Stored first (a move, for a temporary upload), so a rolled-back job leaves at most
    # an orphan file and never a job without its file.
    job.file.save(f"{uuid4().hex}.csv", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            if in_background:
                from . import tasks

                enqueue_after_commit(tasks.process_import, job.pk)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def restart_import(*, job_id: int) -> ImportJob:
    """Queue a failed (or interrupted) job again; it starts over from its stored file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in {ImportStatus.FAILED, ImportStatus.RUNNING} or not job.file:
            raise ImportNotRestartable()
        _queue_again(job, resumes=0)
    return job


def _queue_again(job: ImportJob, *, resumes: int) -> None:
    job.status = ImportStatus.QUEUED
    job.resumes = resumes
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "resumes", "queued_at"])
    from . import tasks

    enqueue_after_commit(tasks.process_import, job.pk)


def resume_interrupted_imports() -> list[int]:
    """Send again every job that no worker is running or will run; the ids sent.

    Two ways a job is left behind: its worker died while running it (``running``,
    with its lease free), or its message never reached a worker (``queued`` for
    ``QUEUED_RESEND_SECONDS``: the broker was down, say). A spare message for a job
    that was only waiting its turn is harmless: :func:`_claim` lets a live run be.

    Run by beat every minute and by each worker as it starts, so a worker restarted
    after a crash picks up what it was doing. A job interrupted ``MAX_RESUMES`` times
    in a row (a file that exhausts the worker's memory or time, say) fails instead,
    and waits for a person to re-run it.
    """
    sent: list[int] = []
    lost = Q(status=ImportStatus.QUEUED) & Q(
        queued_at__lt=timezone.now() - timedelta(seconds=QUEUED_RESEND_SECONDS)
    )
    with transaction.atomic():
        jobs = ImportJob.objects.select_for_update(skip_locked=True).filter(
            lost | Q(status=ImportStatus.RUNNING)
        )
        for job in jobs:
            if job.status == ImportStatus.QUEUED:
                _queue_again(job, resumes=job.resumes)
                logger.warning("Import %s: still queued; sent again", job.pk)
            elif leases.is_held(job.pk, job.attempts):
                continue
            elif job.resumes >= MAX_RESUMES:
                _finish(job, status=ImportStatus.FAILED, message=GAVE_UP_MESSAGE)
                continue
            else:
                _queue_again(job, resumes=job.resumes + 1)
                logger.warning("Import %s: its worker stopped while running it; sent again", job.pk)
            sent.append(job.pk)
    return sent


# --- Running -------------------------------------------------------------------------


def process_import(*, job_id: int) -> ImportJob | None:
    """Run a queued job to the end; ``None`` if it had finished or a live run has it."""
    claimed = _claim(job_id)
    if claimed is None:
        return None
    job, lease = claimed
    with lease:
        _push_progress(job)
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    runner = _RUNNERS[job.kind](job)
    try:
        runner.run()
    except KeyboardInterrupt:  # ``manage.py import_csv`` stopped by its operator: not resumed
        _finish(job, status=ImportStatus.FAILED, message="It was stopped before the end.")
        raise
    except Superseded:
        logger.info("Import %s: attempt %s superseded by a newer run", job.pk, job.attempts)
        return job
    except Exception as exc:
        logger.exception("Import %s failed", job.pk)
        detail = (
            exc.detail if isinstance(exc, InvalidImportFile) else "An unexpected error stopped it."
        )
        _finish(job, status=ImportStatus.FAILED, message=detail)
        return job
    _finish(job, status=ImportStatus.SUCCEEDED)
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> tuple[ImportJob, leases.RunLease] | None:
    """Take the job for this run: a new attempt number fences off any older run.

    The run's lease is taken before the claim commits, so no one ever sees the job
    ``running`` under this attempt without it.
    """
    lease: leases.RunLease | None = None
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
                return None
            if job.status == ImportStatus.RUNNING and leases.is_held(job.pk, job.attempts):
                return None  # a spare message: the run it was meant to start is alive
            job.attempts += 1
            job.status = ImportStatus.RUNNING
            job.started_at = timezone.now()
            job.finished_at = None
            job.processed_rows = job.created = job.updated = job.failed = 0
            job.message = ""
            job.save()
            RowError.objects.filter(job=job).delete()
            StagedRow.objects.filter(job=job).delete()
            lease = leases.RunLease(job.pk, job.attempts).acquire()
    except BaseException:
        if lease is not None:
            lease.release()
        raise
    return job, lease


def _finish(job: ImportJob, *, status: ImportStatus, message: str = "") -> None:
    with transaction.atomic():
        finished = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
            status=status, message=message, finished_at=timezone.now()
        )
        if not finished:
            return
        job.refresh_from_db()
        record_event(
            EventType.IMPORT_FINISHED,
            {
                "id": job.pk,
                "kind": job.kind,
                "status": job.status,
                "dry_run": job.dry_run,
                "total_rows": job.total_rows,
                "created": job.created,
                "updated": job.updated,
                "failed": job.failed,
                "user": job.created_by_id,
            },
            key=f"import:{job.pk}:{job.attempts}",
        )
        StagedRow.objects.filter(job=job).delete()
        if status == ImportStatus.SUCCEEDED and job.file:
            # The upload may hold salaries or voucher codes: once applied it is not kept.
            name, storage = str(job.file.name), job.file.storage
            job.file = ""
            job.save(update_fields=["file"])
            run_after_commit(lambda: storage.delete(name))
    _push_progress(job, force=True)


_last_push: dict[int, float] = {}


def _push_progress(job: ImportJob, *, force: bool = False) -> None:
    """Tell the uploader's open pages how far the job is, at most about once a second."""
    if job.created_by_id is None:
        return
    now = time.monotonic()
    if not force and now - _last_push.get(job.pk, 0.0) < PROGRESS_PUSH_SECONDS:
        return
    _last_push[job.pk] = now
    if force:
        _last_push.pop(job.pk, None)
    push_import_progress(
        job.created_by_id,
        {
            "id": job.pk,
            "kind": job.kind,
            "status": job.status,
            "total_rows": job.total_rows,
            "processed_rows": job.processed_rows,
            "created": job.created,
            "updated": job.updated,
            "failed": job.failed,
        },
    )


def _advance(
    job: ImportJob, *, processed: int = 0, created: int = 0, updated: int = 0, failed: int = 0
) -> None:
    """Move the counters, in the caller's transaction; stop if a newer run took over."""
    moved = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        processed_rows=F("processed_rows") + processed,
        created=F("created") + created,
        updated=F("updated") + updated,
        failed=F("failed") + failed,
    )
    if not moved:
        raise Superseded()
    job.processed_rows += processed
    job.created += created
    job.updated += updated
    job.failed += failed


def _chunks(rows: QuerySet[StagedRow], *, fields: tuple[str, ...] = ()) -> Iterator[list[Any]]:
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


class _Runner:
    """The three phases; each kind adds its own set-based checks and its apply step."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.spec: ImportSpec = SPECS[job.kind]

    def run(self) -> None:
        self.stage()
        self.decide()
        self.apply()

    # 1. stage --------------------------------------------------------------------------

    def raw_key(self, values: dict[str, str]) -> str | None:
        key = values[self.spec.key_column].strip()
        return key if 0 < len(key) <= 255 else None

    def stage(self) -> None:
        if not self.job.file:
            raise InvalidImportFile("The uploaded file is no longer stored; upload it again.")
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
        raise InvalidImportFile("The file is empty.")

    def _clean(
        self, line: int, cells: list[str], header: Header
    ) -> tuple[Staged, list[tuple[str, str]]]:
        if len(cells) != header.width:
            message = f"the row has {len(cells)} cells; the header has {header.width}"
            index = header.positions[self.spec.key_column]
            values = {self.spec.key_column: cells[index] if index < len(cells) else ""}
            return self._rejected(line, values), [("", message)]
        values = {
            column: restore_formula(cells[index]) for column, index in header.positions.items()
        }
        result = self.spec.clean(values)
        if isinstance(result, CleanRow):
            return (line, result.key, result.email, result.ref_key, result.data, False), []
        return self._rejected(line, values), result

    def _rejected(self, line: int, values: dict[str, str]) -> Staged:
        return (line, self.raw_key(values), None, None, {}, True)

    def _flush(self, staged: list[Staged], errors: list[RowError], rejected: int) -> None:
        with transaction.atomic():
            _insert_staged(self.job, staged)
            RowError.objects.bulk_create(errors)
            _advance(self.job, processed=rejected, failed=rejected)
        _push_progress(self.job)

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
        total = 0
        for chunk in _chunks(rows, fields=("pk", "line", "key", *fields)):
            with transaction.atomic():
                RowError.objects.bulk_create(
                    RowError(job=self.job, row=row["line"], column=column, message=message(row))
                    for row in chunk
                )
                StagedRow.objects.filter(pk__in=[row["pk"] for row in chunk]).update(rejected=True)
                _advance(self.job, processed=len(chunk), failed=len(chunk))
            total += len(chunk)
        return total

    def duplicate_message(self, row: dict[str, Any]) -> str:
        return (
            f"{self.spec.key_column} {row['key']} already appears on line {row['first_line']}; "
            "the first row counts"
        )

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

    # 3. apply ---------------------------------------------------------------------------

    def apply(self) -> None:
        for values in _chunks(self.pending(), fields=PendingRow._fields):
            chunk = [PendingRow(**row) for row in values]
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        created, updated = self.apply_rows(chunk)
                    failed = 0
                except IntegrityError:
                    created, updated, failed = self._apply_one_by_one(chunk)
                _advance(
                    self.job,
                    processed=len(chunk),
                    created=created,
                    updated=updated,
                    failed=failed,
                )
            _push_progress(self.job)
        self.after_apply()

    def _apply_one_by_one(self, chunk: list[PendingRow]) -> tuple[int, int, int]:
        """A clash the checks could not foresee (a concurrent change): isolate its row."""
        created = updated = failed = 0
        for row in chunk:
            try:
                with transaction.atomic():
                    one_created, one_updated = self.apply_rows([row])
            except IntegrityError as exc:
                failed += 1
                RowError.objects.create(
                    job=self.job,
                    row=row.line,
                    column="",
                    message=f"conflicts with data already in Plaudit ({str(exc).splitlines()[0]})",
                )
                StagedRow.objects.filter(pk=row.pk).update(rejected=True)
            else:
                created += one_created
                updated += one_updated
        return created, updated, failed

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        raise NotImplementedError

    def after_apply(self) -> None:
        """What must wait until every row is in (linking rows to rows further down)."""


def _loop_message(loops: dict[str, str]) -> Callable[[dict[str, Any]], str]:
    def message(row: dict[str, Any]) -> str:
        return f"reporting to {row['ref_key']} would close a reporting loop: {loops[row['key']]}"

    return message


class _EmployeeRunner(_Runner):
    FIELDS = ("email", "first_name", "last_name", "title", "role", "salary", "hire_date")
    UPDATE_FIELDS = (*FIELDS, "department", "manager")

    def __init__(self, job: ImportJob) -> None:
        super().__init__(job)
        self.departments: dict[str, int] = {}

    def decide(self) -> None:
        super().decide()
        earlier_email = self.pending().filter(email=OuterRef("email"), line__lt=OuterRef("line"))
        self.reject(
            self.pending()
            .annotate(first_line=Subquery(earlier_email.order_by("line").values("line")[:1]))
            .filter(first_line__isnull=False),
            column="email",
            message=lambda row: f"{row['email']} is already used on line {row['first_line']}",
            fields=("email", "first_line"),
        )
        someone_else = User.objects.filter(email=OuterRef("email")).filter(
            Q(employee_id__isnull=True) | ~Q(employee_id=OuterRef("key"))
        )
        self.reject(
            self.pending().filter(Exists(someone_else)),
            column="email",
            message=lambda row: f"another person in Plaudit already has {row['email']}",
            fields=("email",),
        )
        # A rejected row takes the reports that needed it with it, and may leave another
        # loop behind (its old manager in Plaudit comes back), so repeat until nothing moves.
        while True:
            while self.reject(
                self.pending()
                .filter(ref_key__isnull=False)
                .exclude(Exists(User.objects.filter(employee_id=OuterRef("ref_key"))))
                .exclude(Exists(self.pending().filter(key=OuterRef("ref_key")))),
                column="manager_employee_id",
                message=lambda row: (
                    f"no person with employee_id {row['ref_key']} in Plaudit or among "
                    "the accepted rows of this file"
                ),
                fields=("ref_key",),
            ):
                pass
            loops = self._reporting_loops()
            if not loops:
                return
            self.reject(
                self.pending().filter(key__in=list(loops)),
                column="manager_employee_id",
                message=_loop_message(loops),
                fields=("ref_key",),
            )

    def _reporting_loops(self) -> dict[str, str]:
        """Rows whose manager would make someone report to themselves, through a chain
        that may run through this file and Plaudit both; each with the loop it closes.

        Only someone with a manager and with reports can be on a loop, so only they are
        read: one edge each, from the file where it has their row, else from Plaudit.
        A person without an employee_id, who no row can name, is ``#<id>``.
        """
        # Each read is one semi-join (EXISTS): an OR of IN subqueries over a million staged
        # rows would run as a scan per row.
        pending = self.pending()
        rows_with_manager = pending.filter(ref_key__isnull=False)
        in_file: dict[str, str] = {}
        for rows in (
            rows_with_manager.filter(Exists(pending.filter(ref_key=OuterRef("key")))),
            rows_with_manager.filter(
                Exists(User.objects.filter(employee_id=OuterRef("key"), reports__isnull=False))
            ),
        ):
            in_file.update(
                (key, ref_key)
                for key, ref_key in rows.values_list("key", "ref_key")
                if key is not None and ref_key is not None
            )
        manager_of: dict[str, str] = {}
        people_with_manager = User.objects.filter(manager__isnull=False).exclude(
            Exists(pending.filter(key=OuterRef("employee_id")))
        )
        for people in (
            people_with_manager.filter(Exists(User.objects.filter(manager=OuterRef("pk")))),
            people_with_manager.filter(Exists(pending.filter(ref_key=OuterRef("employee_id")))),
        ):
            for pk, employee_id, manager_pk, manager_employee_id in people.values_list(
                "pk", "employee_id", "manager_id", "manager__employee_id"
            ):
                manager_of[employee_id or f"#{pk}"] = manager_employee_id or f"#{manager_pk}"
        manager_of.update(in_file)

        loops: dict[str, str] = {}
        finished: set[str] = set()
        for start in manager_of:
            path: list[str] = []
            on_path: dict[str, int] = {}
            person: str | None = start
            while person is not None and person not in finished and person not in on_path:
                on_path[person] = len(path)
                path.append(person)
                person = manager_of.get(person)
            if person is not None and person in on_path:
                loop = path[on_path[person] :]
                for at, member in enumerate(loop):
                    if member in in_file:  # told from the row's own person round
                        loops[member] = " → ".join([*loop[at:], *loop[: at + 1]])
            finished.update(path)
        return loops

    def _department_ids(self, names: set[str]) -> dict[str, int]:
        missing = names - self.departments.keys()
        if missing:
            if len(self.departments) > 10_000:
                self.departments.clear()
            Department.objects.bulk_create(
                [Department(name=name) for name in missing], ignore_conflicts=True
            )
            self.departments.update(
                Department.objects.filter(name__in=missing).values_list("name", "pk")
            )
        return self.departments

    @staticmethod
    def _ids_of(employee_ids: set[str]) -> dict[str, int]:
        found = User.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "pk")
        return {employee_id: pk for employee_id, pk in found if employee_id is not None}

    @staticmethod
    def _values(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "email": data["email"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "title": data["title"],
            "role": data["role"],
            "salary": None if data["salary"] is None else Decimal(data["salary"]),
            "hire_date": None
            if data["hire_date"] is None
            else date.fromisoformat(data["hire_date"]),
        }

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        """Compare by natural values (department name, manager's employee_id), write in bulk."""
        dry_run = self.job.dry_run
        existing = {
            person.employee_id: person
            for person in User.objects.filter(employee_id__in=[row.key for row in rows])
            .select_related("department", "manager")
            .only(*self.FIELDS, "employee_id", "department__name", "manager__employee_id")
        }
        departments: dict[str, int] = {}
        managers: dict[str, int] = {}
        if not dry_run:
            departments = self._department_ids(
                {row.data["department"] for row in rows if row.data["department"]}
            )
            managers = self._ids_of({row.ref_key for row in rows if row.ref_key})
        unusable_password = make_password(None)
        created = 0
        new: list[tuple[dict[str, Any], PendingRow]] = []
        changed: list[User] = []
        relink: list[int] = []
        for row in rows:
            values = self._values(row.data)
            department = row.data["department"] or None
            person = existing.get(row.key or "")
            if person is None:
                created += 1
                if not dry_run:
                    values.update(
                        employee_id=row.key,
                        password=unusable_password,
                        department_id=departments.get(department) if department else None,
                    )
                    new.append((values, row))
                continue
            same = (
                all(getattr(person, name) == value for name, value in values.items())
                and (person.department.name if person.department else None) == department
                and (person.manager.employee_id if person.manager else None) == row.ref_key
            )
            if same:
                continue
            changed.append(person)
            if dry_run:
                continue
            for name, value in values.items():
                setattr(person, name, value)
            person.department_id = departments.get(department) if department else None
            if row.ref_key is None:
                person.manager_id = None
            elif row.ref_key in managers:
                person.manager_id = managers[row.ref_key]
            else:  # a manager who is new in this file: linked once everyone is in
                relink.append(row.pk)
        if not dry_run:
            self._create_in_waves(new, managers)
            User.objects.bulk_update(changed, self.UPDATE_FIELDS)
            # bulk_update sends no signals: say what the people caches must forget.
            forget_cached_people(person.pk for person in changed)
            if changed:
                invalidate_feed()
            StagedRow.objects.filter(pk__in=relink).update(awaits_link=True)
        return created, len(changed)

    def _create_in_waves(
        self, new: list[tuple[dict[str, Any], PendingRow]], managers: dict[str, int]
    ) -> None:
        """Insert managers before their reports, so each row is written once, manager included.

        Each wave inserts the rows whose manager already has an id; the ids it
        returns let the next wave's reports point at them. Reports of managers
        further down the file are inserted last, unlinked, and linked at the end.
        """
        waiting = new
        while waiting:
            ready = [pair for pair in waiting if not pair[1].ref_key or pair[1].ref_key in managers]
            if not ready:
                break
            for person, row in ready:
                person["manager_id"] = managers[row.ref_key] if row.ref_key else None
            _insert_people([person for person, _ in ready])
            if any(person["id"] is None for person, _ in ready):  # no RETURNING on this database
                managers.update(self._ids_of({row.key or "" for _, row in ready}))
            else:
                managers.update({row.key or "": person["id"] for person, row in ready})
            done = {id(person) for person, _ in ready}
            waiting = [pair for pair in waiting if id(pair[0]) not in done]
        if waiting:
            _insert_people([person for person, _ in waiting])
            StagedRow.objects.filter(pk__in=[row.pk for _, row in waiting]).update(awaits_link=True)

    def after_apply(self) -> None:
        if self.job.dry_run:
            return
        for chunk in _chunks(self.pending().filter(awaits_link=True)):
            with transaction.atomic():
                people = {
                    person.employee_id: person
                    for person in User.objects.filter(employee_id__in=[row.key for row in chunk])
                }
                managers = self._ids_of({row.ref_key or "" for row in chunk})
                linked = []
                for row in chunk:
                    person = people.get(row.key or "")
                    if person is not None and row.ref_key in managers:
                        person.manager_id = managers[row.ref_key]
                        linked.append(person)
                User.objects.bulk_update(linked, ["manager"])
                forget_cached_people(person.pk for person in linked)


class _RewardRunner(_Runner):
    FIELDS = EDITABLE_REWARD_FIELDS

    @staticmethod
    def _values(data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        for name in ("available_from", "expires_at"):
            values[name] = parse_datetime(data[name]) if data[name] else None
        return values

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        """Upsert by SKU. A coded reward's stock follows its codes, so its cell is ignored."""
        existing = {
            reward.sku: reward
            for reward in Reward.all_objects.filter(sku__in=[row.key for row in rows]).annotate(
                has_codes=Exists(RewardCode.objects.filter(reward=OuterRef("pk")))
            )
        }
        new: list[Reward] = []
        changed: list[Reward] = []
        for row in rows:
            values = self._values(row.data)
            if row.key not in existing:
                new.append(Reward(sku=row.key, **values))
                continue
            reward = existing[row.key]
            if reward.has_codes:
                values.pop("stock")
            if all(getattr(reward, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(reward, name, value)
            changed.append(reward)
        if not self.job.dry_run and (new or changed):
            now = timezone.now()
            for edited in changed:
                edited.updated_at = now
            Reward.all_objects.bulk_create(new)
            Reward.all_objects.bulk_update(changed, [*self.FIELDS, "updated_at"])
            transaction.on_commit(invalidate_catalog)
        return len(new), len(changed)


class _CodeRunner(_Runner):
    def duplicate_message(self, row: dict[str, Any]) -> str:
        return f"this code already appears on line {row['first_line']}"

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        assert self.job.reward_id is not None
        codes = [(row.key or "", row.data["ciphertext"]) for row in rows]
        if self.job.dry_run:
            known = RewardCode.objects.filter(digest__in=[digest for digest, _ in codes]).count()
            return len(codes) - known, 0
        return add_reward_codes(reward_id=self.job.reward_id, codes=codes), 0


_RUNNERS: dict[str, type[_Runner]] = {
    ImportKind.EMPLOYEES: _EmployeeRunner,
    ImportKind.REWARDS: _RewardRunner,
    ImportKind.REWARD_CODES: _CodeRunner,
}
