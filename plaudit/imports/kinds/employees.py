"""The employees import: its columns, how one row is cleaned, its checks, and its apply step.

A row is keyed by ``employee_id`` and names its manager by theirs
(``manager_employee_id``), who may be in Plaudit already or further down the file.
Cleaning keeps each value within the bounds :mod:`plaudit.people.models` defines for
every door, refused in the same words (:func:`plaudit.people.services.check_bound`).
Besides duplicate keys, the runner rejects, set-based over the whole file,
emails another person already has or an earlier row uses (in any letter case),
managers that exist neither in Plaudit nor among the accepted rows, and managers that
would close a reporting loop. The apply step decides which rows are new and which
change someone, and hands them to the people services' bulk path
(:func:`plaudit.people.roster.import_employees`), which applies the rules of every
other door (who may act, emails, departments in any letter case, the last HR admin)
and writes them; nothing here writes a ``User`` row.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.core.errors import InvalidInput
from plaudit.people import roster
from plaudit.people.errors import EmailTaken
from plaudit.people.models import (
    EMPLOYEE_ID_MAX_LENGTH,
    MAX_SALARY,
    NAME_MAX_LENGTH,
    SALARY_DECIMAL_PLACES,
    TITLE_MAX_LENGTH,
    User,
)
from plaudit.people.roles import Role
from plaudit.people.selectors import people_by_employee_id
from plaudit.people.services import (
    check_bound,
    check_can_manage_people,
    newly_under_an_inactive_manager,
    people_with_email,
)

from ..models import ImportKind, RowError, StagedRow
from ..runner import PendingRow, Runner, chunks
from .cleaning import Cells, CleanRow, Column, Complaint, ImportSpec, described, echo

# The file's columns, declared once: the runner, the import page, its template and the
# docs read them. On someone already in Plaudit, an empty optional cell clears that field.
EMPLOYEE_LAYOUT = (
    Column(
        "employee_id",
        described(
            gettext_lazy(
                "Their id in your HR system, up to %(max_length)s characters; a row "
                "updates the person with this id, or creates them."
            ),
            max_length=EMPLOYEE_ID_MAX_LENGTH,
        ),
        "E1001",
        required=True,
    ),
    Column(
        "email",
        gettext_lazy("Their sign-in email address, used by nobody else."),
        "ada@example.com",
        True,
    ),
    Column(
        "first_name",
        described(gettext_lazy("Up to %(max_length)s characters."), max_length=NAME_MAX_LENGTH),
        "Ada",
    ),
    Column(
        "last_name",
        described(gettext_lazy("Up to %(max_length)s characters."), max_length=NAME_MAX_LENGTH),
        "Lovelace",
    ),
    Column(
        "department",
        gettext_lazy("Its name, in any letter case; a new name creates the department."),
        "Engineering",
    ),
    Column(
        "title",
        described(
            gettext_lazy("Job title, up to %(max_length)s characters."),
            max_length=TITLE_MAX_LENGTH,
        ),
        "Engineer",
    ),
    Column(
        "manager_employee_id",
        gettext_lazy(
            "Their manager's employee_id (like E1000): someone in Plaudit or on another row "
            "of the file. Empty for no manager."
        ),
    ),
    Column(
        "role",
        described(
            gettext_lazy("One of %(roles)s; empty means employee."), roles=", ".join(Role.values)
        ),
        "employee",
    ),
    Column(
        "salary",
        described(
            gettext_lazy(
                "A number like 52000.00, from 0 to %(max)s, with at most %(places)s decimal places."
            ),
            max=MAX_SALARY,
            places=SALARY_DECIMAL_PLACES,
        ),
        "52000.00",
    ),
    Column("hire_date", gettext_lazy("A date as YYYY-MM-DD, like 2024-03-31."), "2024-03-31"),
)


def _bounded(row: Cells, column: str, *, field: str = "", required: bool = False) -> str:
    """The cell's trimmed text, within the bounds of the person's ``field`` (the column's
    own name by default), refused in the words of every other door."""
    value = row.text(column, required=required)
    if value:
        try:
            check_bound(field or column, value)
        except InvalidInput as exc:
            row.complaints.append((column, exc.detail))
    return value


def clean_employee(values: dict[str, str]) -> CleanRow | list[Complaint]:
    row = Cells(values)
    employee_id = _bounded(row, "employee_id", required=True)
    email = _bounded(row, "email", required=True)
    email = BaseUserManager.normalize_email(email)
    first_name = _bounded(row, "first_name")
    last_name = _bounded(row, "last_name")
    department = _bounded(row, "department")
    title = _bounded(row, "title")
    manager = _bounded(row, "manager_employee_id", field="employee_id")
    if manager and manager == employee_id:
        row.complaints.append(("manager_employee_id", _("a person cannot be their own manager")))
    role = row.text("role", max_length=20).lower() or Role.EMPLOYEE.value
    if role not in Role.values:
        row.complaints.append(
            (
                "role",
                _("'%(value)s' is not a role; use one of %(roles)s")
                % {"value": echo(role), "roles": ", ".join(Role.values)},
            )
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
                (
                    "salary",
                    _("'%(value)s' is not a number like 52000.00") % {"value": echo(salary_text)},
                )
            )
            salary = None
        else:
            if salary < 0 or salary > MAX_SALARY:
                row.complaints.append(
                    ("salary", _("must be between 0 and %(max)s") % {"max": MAX_SALARY})
                )
            elif -salary.as_tuple().exponent > SALARY_DECIMAL_PLACES:  # type: ignore[operator]
                row.complaints.append(
                    (
                        "salary",
                        _("has more than %(places)s decimal places")
                        % {"places": SALARY_DECIMAL_PLACES},
                    )
                )
    hire_date = row.day("hire_date")
    if row.complaints:
        return row.complaints
    return CleanRow(
        key=employee_id,
        email=email.lower(),  # staged to find a row's email again in any letter case
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


SPEC = ImportSpec(
    ImportKind.EMPLOYEES.value,
    EMPLOYEE_LAYOUT,
    "employee_id",
    clean_employee,
    ref_column="manager_employee_id",
)
EMPLOYEE_COLUMNS = SPEC.columns


def _unknown_manager(row: dict[str, Any]) -> str:
    return _(
        "no person with employee_id %(employee_id)s in Plaudit or among "
        "the accepted rows of this file"
    ) % {"employee_id": row["ref_key"]}


def _loop_message(loops: dict[str, str]) -> Callable[[dict[str, Any]], str]:
    def message(row: dict[str, Any]) -> str:
        return _("reporting to %(employee_id)s would close a reporting loop: %(loop)s") % {
            "employee_id": row["ref_key"],
            "loop": loops[row["key"]],
        }

    return message


class EmployeeRunner(Runner):
    spec = SPEC

    def run(self) -> None:
        """Only who may change people may import them: refused before the file is read."""
        check_can_manage_people(self.job.created_by)
        super().run()

    def decide(self) -> None:
        super().decide()
        earlier_email = self.pending().filter(email=OuterRef("email"), line__lt=OuterRef("line"))
        self.reject(
            self.pending()
            .annotate(first_line=Subquery(earlier_email.order_by("line").values("line")[:1]))
            .filter(first_line__isnull=False),
            column="email",
            message=lambda row: (
                _("%(email)s is already used on line %(line)s")
                % {"email": row["email"], "line": row["first_line"]}
            ),
            fields=("email", "first_line"),
        )
        someone_else = people_with_email(OuterRef("email")).filter(
            Q(employee_id__isnull=True) | ~Q(employee_id=OuterRef("key"))
        )
        self.reject(
            self.pending().filter(Exists(someone_else)),
            column="email",
            message=lambda row: str(EmailTaken.default_detail),
        )
        # A manager who has left may stay where they are (as a PATCH of other fields
        # leaves them), but nobody is newly put under them: the people services' rule.
        self.reject(
            self.pending()
            .filter(ref_key__isnull=False)
            .filter(newly_under_an_inactive_manager(OuterRef("key"), OuterRef("ref_key"))),
            column="manager_employee_id",
            message=lambda row: (
                _(
                    "The person with employee_id %(employee_id)s is no longer active; "
                    "choose an active manager."
                )
                % {"employee_id": row["ref_key"]}
            ),
            fields=("ref_key",),
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
                message=_unknown_manager,
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

    def explain_rejected(self) -> None:
        """A row rejected for something else is told of an unknown manager too."""
        self.note(
            StagedRow.objects.filter(job=self.job, rejected=True, ref_key__isnull=False)
            .exclude(
                Exists(
                    RowError.objects.filter(
                        job=self.job, row=OuterRef("line"), column="manager_employee_id"
                    )
                )
            )
            .exclude(Exists(User.objects.filter(employee_id=OuterRef("ref_key"))))
            .exclude(Exists(self.pending().filter(key=OuterRef("ref_key")))),
            column="manager_employee_id",
            message=_unknown_manager,
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
        """Which rows are new and which change someone; the people services write them
        (or, on a dry run, check and count them) and may refuse some."""
        existing = people_by_employee_id([row.key for row in rows if row.key])
        by_key: dict[str, PendingRow] = {}
        new: list[roster.EmployeeRow] = []
        changed: list[tuple[User, roster.EmployeeRow]] = []
        for row in rows:
            employee = _employee(row)
            by_key[employee.employee_id] = row
            person = existing.get(employee.employee_id)
            if person is None:
                new.append(employee)
            elif roster.changes_anything(person, employee):
                changed.append((person, employee))
        outcome = roster.import_employees(
            actor=self.job.created_by, new=new, changed=changed, dry_run=self.job.dry_run
        )
        self.refuse(
            [
                (by_key[key], COLUMN_OF.get(field, field), message)
                for key, (field, message) in outcome.refused.items()
            ]
        )
        StagedRow.objects.filter(pk__in=[by_key[key].pk for key in outcome.unlinked]).update(
            awaits_link=True
        )
        return outcome.created, outcome.updated

    def after_apply(self) -> None:
        if self.job.dry_run:
            return
        for chunk in chunks(self.pending().filter(awaits_link=True)):
            with transaction.atomic():
                roster.link_managers(
                    actor=self.job.created_by,
                    links={row.key: row.ref_key for row in chunk if row.key and row.ref_key},
                )


# The people services name a row's fields; the file names some columns otherwise.
COLUMN_OF = {"manager": "manager_employee_id"}


def _employee(row: PendingRow) -> roster.EmployeeRow:
    """A staged row as the people services take it (its values as cleaning left them)."""
    data = row.data
    return roster.EmployeeRow(
        employee_id=row.key or "",
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        department=data["department"],
        title=data["title"],
        role=data["role"],
        salary=None if data["salary"] is None else Decimal(data["salary"]),
        hire_date=None if data["hire_date"] is None else date.fromisoformat(data["hire_date"]),
        manager_employee_id=row.ref_key,
    )
