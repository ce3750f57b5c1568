"""The employees import: its columns, how one row is cleaned, its checks and its writes.

A row is keyed by ``employee_id`` and names its manager by theirs
(``manager_employee_id``), who may be in Plaudit already or further down the file.
Besides duplicate keys, the runner rejects emails another person already has,
managers that exist neither in Plaudit nor among the accepted rows, and managers that
would close a reporting loop. Its apply step is :func:`write_people` (with
:func:`link_people_to_managers` once every row is in): the only code here that writes
``User`` rows, kept apart so it can move to the people app's services whole.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from plaudit.people.cache import forget_cached_people
from plaudit.people.models import Department, User
from plaudit.people.roles import Role
from plaudit.people.serializers import MAX_SALARY
from plaudit.recognition.cache import invalidate_feed

from ..bulk_insert import insert_rows
from ..models import ImportJob, ImportKind, StagedRow
from ..runner import PendingRow, Runner, chunks
from .cleaning import Cells, CleanRow, Complaint, ImportSpec, echo

EMPLOYEE_COLUMNS = (
    "employee_id",
    "email",
    "first_name",
    "last_name",
    "department",
    "title",
    "manager_employee_id",
    "role",
    "salary",
    "hire_date",
)


def clean_employee(values: dict[str, str]) -> CleanRow | list[Complaint]:
    row = Cells(values)
    employee_id = row.text("employee_id", max_length=64, required=True)
    email = row.text("email", max_length=254, required=True)
    if email and len(email) <= 254:
        try:
            validate_email(email)
        except ValidationError:
            row.complaints.append(("email", f"'{echo(email)}' is not a valid email address"))
        email = BaseUserManager.normalize_email(email)
    first_name = row.text("first_name", max_length=150)
    last_name = row.text("last_name", max_length=150)
    department = row.text("department", max_length=100)
    title = row.text("title", max_length=150)
    manager = row.text("manager_employee_id", max_length=64)
    if manager and manager == employee_id:
        row.complaints.append(("manager_employee_id", "a person cannot be their own manager"))
    role = row.text("role", max_length=20).lower() or Role.EMPLOYEE.value
    if role not in Role.values:
        row.complaints.append(
            ("role", f"'{echo(role)}' is not a role; use one of {', '.join(Role.values)}")
        )
    salary_text = values["salary"].strip()
    salary: Decimal | None = None
    if salary_text:
        try:
            salary = Decimal(salary_text)
            if not salary.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            row.complaints.append(
                ("salary", f"'{echo(salary_text)}' is not a number like 52000.00")
            )
            salary = None
        else:
            if salary < 0 or salary > MAX_SALARY:
                row.complaints.append(("salary", f"must be between 0 and {MAX_SALARY}"))
            elif -salary.as_tuple().exponent > 2:  # type: ignore[operator]
                row.complaints.append(("salary", "has more than 2 decimal places"))
    hire_date = row.day("hire_date")
    if row.complaints:
        return row.complaints
    return CleanRow(
        key=employee_id,
        email=email,
        ref_key=manager or None,
        data={
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "department": department,
            "title": title,
            "role": role,
            "salary": None if salary is None else str(salary),
            "hire_date": None if hire_date is None else hire_date.isoformat(),
        },
    )


SPEC = ImportSpec(ImportKind.EMPLOYEES.value, EMPLOYEE_COLUMNS, "employee_id", clean_employee)


def _loop_message(loops: dict[str, str]) -> Callable[[dict[str, Any]], str]:
    def message(row: dict[str, Any]) -> str:
        return f"reporting to {row['ref_key']} would close a reporting loop: {loops[row['key']]}"

    return message


class EmployeeRunner(Runner):
    spec = SPEC

    def __init__(self, job: ImportJob) -> None:
        super().__init__(job)
        # Department ids by name, kept from chunk to chunk (forgotten past 10,000).
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

    def apply_rows(self, rows: list[PendingRow]) -> tuple[int, int]:
        written = write_people(rows, dry_run=self.job.dry_run, departments=self.departments)
        StagedRow.objects.filter(pk__in=written.awaiting_manager).update(awaits_link=True)
        return written.created, written.updated

    def after_apply(self) -> None:
        if self.job.dry_run:
            return
        for chunk in chunks(self.pending().filter(awaits_link=True)):
            with transaction.atomic():
                link_people_to_managers(chunk)


# --- Apply: writing people ------------------------------------------------------------
# Everything below writes User rows (and creates departments); the runner only calls
# write_people and link_people_to_managers.

PERSON_FIELDS = ("email", "first_name", "last_name", "title", "role", "salary", "hire_date")
UPDATE_FIELDS = (*PERSON_FIELDS, "department", "manager")


class PeopleWritten(NamedTuple):
    """What :func:`write_people` did (or would do, on a dry run)."""

    created: int
    updated: int
    # Staged rows whose person was written without their manager, who is new in this
    # file and not in yet: :func:`link_people_to_managers` links them at the end.
    awaiting_manager: list[int]


def write_people(
    rows: list[PendingRow], *, dry_run: bool, departments: dict[str, int]
) -> PeopleWritten:
    """Create the new people and update the changed ones among ``rows``, in bulk.

    Rows are compared by natural values (department name, manager's employee_id), so
    an unchanged person is not written at all. ``departments`` caches ids by name
    across calls; missing departments are created. A dry run counts and writes nothing.
    """
    existing = {
        person.employee_id: person
        for person in User.objects.filter(employee_id__in=[row.key for row in rows])
        .select_related("department", "manager")
        .only(*PERSON_FIELDS, "employee_id", "department__name", "manager__employee_id")
    }
    managers: dict[str, int] = {}
    if not dry_run:
        departments = _department_ids(
            {row.data["department"] for row in rows if row.data["department"]}, departments
        )
        managers = _ids_of({row.ref_key for row in rows if row.ref_key})
    unusable_password = make_password(None)
    created = 0
    new: list[tuple[dict[str, Any], PendingRow]] = []
    changed: list[User] = []
    relink: list[int] = []
    for row in rows:
        values = _values(row.data)
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
        relink.extend(_create_in_waves(new, managers))
        User.objects.bulk_update(changed, UPDATE_FIELDS)
        # bulk_update sends no signals: say what the people caches must forget.
        forget_cached_people(person.pk for person in changed)
        if changed:
            invalidate_feed()
    return PeopleWritten(created, len(changed), relink)


def link_people_to_managers(rows: list[StagedRow]) -> None:
    """Point each row's person at their manager, now that every row's person is in."""
    people = {
        person.employee_id: person
        for person in User.objects.filter(employee_id__in=[row.key for row in rows])
    }
    managers = _ids_of({row.ref_key or "" for row in rows})
    linked = []
    for row in rows:
        person = people.get(row.key or "")
        if person is not None and row.ref_key in managers:
            person.manager_id = managers[row.ref_key]
            linked.append(person)
    User.objects.bulk_update(linked, ["manager"])
    forget_cached_people(person.pk for person in linked)


def _create_in_waves(
    new: list[tuple[dict[str, Any], PendingRow]], managers: dict[str, int]
) -> list[int]:
    """Insert managers before their reports, so each row is written once, manager included;
    the staged rows of those inserted without their manager.

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
        insert_rows(User, [person for person, _ in ready], with_ids=True)
        if any(person["id"] is None for person, _ in ready):  # no RETURNING on this database
            managers.update(_ids_of({row.key or "" for _, row in ready}))
        else:
            managers.update({row.key or "": person["id"] for person, row in ready})
        done = {id(person) for person, _ in ready}
        waiting = [pair for pair in waiting if id(pair[0]) not in done]
    if waiting:
        insert_rows(User, [person for person, _ in waiting], with_ids=True)
    return [row.pk for _, row in waiting]


def _department_ids(names: set[str], known: dict[str, int]) -> dict[str, int]:
    """``known``, with the ids of ``names`` added (creating the departments missing)."""
    missing = names - known.keys()
    if missing:
        if len(known) > 10_000:
            known.clear()
        Department.objects.bulk_create(
            [Department(name=name) for name in missing], ignore_conflicts=True
        )
        known.update(Department.objects.filter(name__in=missing).values_list("name", "pk"))
    return known


def _ids_of(employee_ids: set[str]) -> dict[str, int]:
    found = User.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "pk")
    return {employee_id: pk for employee_id, pk in found if employee_id is not None}


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": data["email"],
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "title": data["title"],
        "role": data["role"],
        "salary": None if data["salary"] is None else Decimal(data["salary"]),
        "hire_date": None if data["hire_date"] is None else date.fromisoformat(data["hire_date"]),
    }
