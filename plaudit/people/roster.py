"""The people services' bulk path: the employee import's new and changed people, at COPY speed.

The same rules as :mod:`plaudit.people.services`, decided for a whole batch at once:

- who may act: an HR admin, or the operator (``actor=None``);
- an email another person has, in any letter case, is refused (:class:`EmailTaken`),
  as is the second of two rows with one email;
- departments are found by name in any letter case, and created when new;
- nobody is newly put under a manager who has left; who already reports to them stays;
- the company keeps an active HR admin: demotions are decided with every active HR
  admin's row locked, counting the HR admins the batch itself makes; and under those
  locks the actor is read again, so an HR admin demoted a moment ago imports no more.

Lock order, the people services' own (:mod:`plaudit.people.services`), so an import and
a concurrent change through the API or the admin never deadlock: every active HR
admin's row in id order first, then the rows of the people the batch changes, in id
order, before any is written. :func:`link_managers` locks its people in id order too
(it changes no one's HR powers, so takes no HR admin's lock, as the services do not).

Two rules arrive decided: each value is within the bounds of
:mod:`plaudit.people.models` (the import parses with the same constants), and no
reporting line loops (the import decides that set-based over the whole file, which
no batch sees). New people are written with a COPY on PostgreSQL.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core.bulk_insert import insert_rows
from plaudit.core.errors import InvalidInput, NotAllowed

from .access import sync_admin_access
from .cache import forget_cached_people
from .errors import EmailTaken, LastHRAdmin
from .models import Department, User
from .roles import Role, is_active_hr_admin
from .selectors import active_hr_admins
from .services import (
    check_actor_still_hr_admin,
    check_can_change_superuser,
    check_can_manage_people,
    check_manager_active,
    department_named,
    lock_active_hr_admins,
    refusal_for_person,
)
from .signals import people_changed_in_bulk

# What a row sets, besides the department and the manager it names.
ROW_FIELDS = ("email", "first_name", "last_name", "title", "role", "salary", "hire_date")
UPDATE_FIELDS = (*ROW_FIELDS, "department", "manager")
# What a row does not set, yet its rules read: who is an active HR admin now.
ACCESS_READ_AGAIN = ("role", "is_active", "is_superuser")


class EmployeeRow(NamedTuple):
    """One person as the employee import names them: by employee id, their department by
    name (``""`` for none) and their manager by employee id."""

    employee_id: str
    email: str
    first_name: str
    last_name: str
    department: str
    title: str
    role: str
    salary: Decimal | None
    hire_date: date | None
    manager_employee_id: str | None


@dataclass
class EmployeesImported:
    """What :func:`import_employees` did, or would do on a dry run."""

    created: int = 0
    updated: int = 0
    # Each refused row's employee id, with the field at fault and why, in the services' words.
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Employee ids written without their manager, who is not in Plaudit yet (further down
    # the file): :func:`link_managers` links them once they are.
    unlinked: list[str] = field(default_factory=list)


def import_employees(
    *,
    actor: User | None,
    new: Sequence[EmployeeRow],
    changed: Sequence[tuple[User, EmployeeRow]],
    dry_run: bool = False,
) -> EmployeesImported:
    """Hire ``new`` and apply ``changed`` (each person as read, with their row), in bulk.

    Rows refused by a rule are left out and listed; the rest are written in one
    transaction. A clash the checks could not foresee (a concurrent hire) raises the
    domain's error (:func:`~plaudit.people.services.refusal_for_person`), and nothing is
    written: the caller may retry row by row. A dry run checks, counts, and writes
    nothing.
    """
    check_can_manage_people(actor)
    outcome = EmployeesImported()
    try:
        with transaction.atomic():
            if dry_run:
                hr_admins = list(active_hr_admins().values_list("pk", flat=True))
            else:  # the lock order: the HR admins, then each changed person, by id
                hr_admins = lock_active_hr_admins()
                check_actor_still_hr_admin(actor, hr_admins)
                _lock_people(person for person, _ in changed)
            _refuse_superuser_changes(actor, changed, outcome.refused)
            _refuse_taken_emails(new, changed, outcome.refused)
            _refuse_inactive_managers(new, changed, outcome.refused)
            _refuse_last_hr_admin_demotions(new, changed, outcome.refused, hr_admins=hr_admins)
            new = [row for row in new if row.employee_id not in outcome.refused]
            changed = [pair for pair in changed if pair[1].employee_id not in outcome.refused]
            outcome.created, outcome.updated = len(new), len(changed)
            if not dry_run:
                roles_before = {person.pk: person.role for person, _ in changed}
                outcome.unlinked = _write(new, changed)
                _record_import(actor, new, changed, roles_before, outcome)
    except IntegrityError as exc:
        raise refusal_for_person(exc) from exc
    return outcome


def changes_anything(person: User, row: EmployeeRow) -> bool:
    """Whether writing ``row`` would change ``person`` (as :func:`people_by_employee_id`
    reads them): a department named in other letter case is the same department."""
    department = person.department.name if person.department else ""
    manager = person.manager.employee_id if person.manager else None
    return (
        any(getattr(person, name) != getattr(row, name) for name in ROW_FIELDS)
        or department.lower() != row.department.lower()
        or manager != row.manager_employee_id
    )


def link_managers(*, actor: User | None, links: Mapping[str, str]) -> int:
    """Point each person (by employee id) at their manager (by theirs); how many were.

    For the people :func:`import_employees` left unlinked, once their managers are in.
    The reporting lines arrive loop-free, as there.
    """
    check_can_manage_people(actor)
    with transaction.atomic():
        lock_active_hr_admins()  # the lock order of every people write: HR admins first
        people = list(
            User.objects.select_for_update().filter(employee_id__in=list(links)).order_by("pk")
        )
        managers = _ids_of(set(links.values()))
        linked = []
        for person in people:
            manager_id = managers.get(links[person.employee_id or ""])
            if manager_id is not None:
                person.manager_id = manager_id
                linked.append(person)
        User.objects.bulk_update(linked, ["manager"])
    forget_cached_people(person.pk for person in linked)
    return len(linked)


# --- The rules, for a batch ----------------------------------------------------------------


def _refuse_superuser_changes(
    actor: User | None,
    changed: Sequence[tuple[User, EmployeeRow]],
    refused: dict[str, tuple[str, str]],
) -> None:
    """A row that would change a superuser's account, from an HR admin who is not one."""
    for person, row in changed:
        if row.employee_id in refused or not changes_anything(person, row):
            continue
        try:
            check_can_change_superuser(actor, person)
        except NotAllowed as exc:
            refused[row.employee_id] = ("employee_id", exc.detail)


def _refuse_taken_emails(
    new: Sequence[EmployeeRow],
    changed: Sequence[tuple[User, EmployeeRow]],
    refused: dict[str, tuple[str, str]],
) -> None:
    """An email is taken if someone else has it in any letter case, or an earlier row does.

    One query for the batch, through the index on the database's ``lower()``; where
    Python's disagrees (rare letters outside ASCII), the unique constraint still refuses.
    Someone who keeps their email (in any case) cannot take anyone else's: not asked.
    """
    rows: list[tuple[int | None, EmployeeRow]] = [(None, row) for row in new]
    rows += [
        (person.pk, row) for person, row in changed if person.email.lower() != row.email.lower()
    ]
    if not rows:
        return
    holders = dict(
        User.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in={row.email.lower() for _, row in rows})
        .values_list("email_key", "pk")
    )
    earlier: set[str] = set()
    for person_id, row in rows:
        key = row.email.lower()
        holder = holders.get(key)
        if key in earlier or (holder is not None and holder != person_id):
            refused[row.employee_id] = ("email", str(EmailTaken.default_detail))
        earlier.add(key)


def _refuse_inactive_managers(
    new: Sequence[EmployeeRow],
    changed: Sequence[tuple[User, EmployeeRow]],
    refused: dict[str, tuple[str, str]],
) -> None:
    """Nobody is newly put under a manager who has left; who already reports to them
    stays (:func:`~plaudit.people.services.check_manager_active`)."""
    rows: list[tuple[int | None, EmployeeRow]] = [(None, row) for row in new]
    rows += [(person.manager_id, row) for person, row in changed]
    named = {row.manager_employee_id for _, row in rows if row.manager_employee_id}
    if not named:
        return
    gone = {
        person.employee_id: person
        for person in User.objects.filter(employee_id__in=named, is_active=False)
    }
    for current_manager_id, row in rows:
        manager = gone.get(row.manager_employee_id)
        if manager is None or row.employee_id in refused:
            continue
        try:
            check_manager_active(manager, current_manager_id=current_manager_id)
        except InvalidInput as exc:
            refused[row.employee_id] = ("manager", exc.detail)


def _lock_people(people: Iterable[User]) -> None:
    """Lock these people's rows, in id order (after the HR admins', if taken), and read
    their access again under the locks: they were read before, and the rules (the last
    HR admin) and the write must see a promotion or a deactivation committed meanwhile."""
    by_pk = {person.pk: person for person in people}
    fresh = (
        User.objects.select_for_update()
        .filter(pk__in=list(by_pk))
        .order_by("pk")
        .values("pk", *ACCESS_READ_AGAIN)
    )
    for values in fresh:
        person = by_pk[values.pop("pk")]
        for name, value in values.items():
            setattr(person, name, value)


def _is_active_hr_admin(person: User, *, role: str | None = None) -> bool:
    """Whether ``person`` is an active HR admin, or would be with ``role``."""
    return is_active_hr_admin(
        is_active=person.is_active, is_superuser=person.is_superuser, role=role or person.role
    )


def _refuse_last_hr_admin_demotions(
    new: Sequence[EmployeeRow],
    changed: Sequence[tuple[User, EmployeeRow]],
    refused: dict[str, tuple[str, str]],
    *,
    hr_admins: list[int],
) -> None:
    """Each demotion in turn, while another active HR admin stays (one this batch makes
    counts); the rest are refused. ``hr_admins``: the active HR admins' ids, read under
    their row locks unless this is a dry run."""
    demotions = [
        person
        for person, row in changed
        if row.employee_id not in refused
        and _is_active_hr_admin(person)
        and not _is_active_hr_admin(person, role=row.role)
    ]
    if not demotions:
        return
    staying: set[Any] = set(hr_admins)
    staying |= {
        f"new {row.employee_id}"
        for row in new
        if is_active_hr_admin(is_active=True, is_superuser=False, role=row.role)
        and row.employee_id not in refused
    }
    staying |= {
        person.pk
        for person, row in changed
        if _is_active_hr_admin(person, role=row.role) and row.employee_id not in refused
    }
    for person in demotions:
        if person.pk not in staying:  # no longer an HR admin, changed since it was read
            continue
        if staying == {person.pk}:
            refused[person.employee_id or ""] = ("role", str(LastHRAdmin.default_detail))
        else:
            staying.discard(person.pk)


# --- Writing -------------------------------------------------------------------------------


def _record_import(
    actor: User | None,
    new: Sequence[EmployeeRow],
    changed: Sequence[tuple[User, EmployeeRow]],
    roles_before: Mapping[int, str],
    outcome: EmployeesImported,
) -> None:
    """The audit log's facts: one for the import, one per role it changed or gave HR."""
    record(
        audit.PEOPLE_IMPORTED,
        actor=actor,
        created=outcome.created,
        updated=outcome.updated,
        refused=len(outcome.refused),
    )
    for person, row in changed:
        if roles_before[person.pk] != row.role:
            record(
                audit.ROLE_CHANGED,
                actor=actor,
                target=person,
                email=person.email,
                role_from=roles_before[person.pk],
                role_to=row.role,
                via="import",
            )
    hr_hires = [row.employee_id for row in new if row.role == Role.HR_ADMIN]
    for person in User.objects.filter(employee_id__in=hr_hires):
        record(
            audit.PERSON_CREATED, actor=actor, target=person, email=person.email, role=person.role
        )


def _write(new: Sequence[EmployeeRow], changed: Sequence[tuple[User, EmployeeRow]]) -> list[str]:
    """Insert ``new`` (managers before their reports), update ``changed``; the unlinked."""
    rows = [*new, *(row for _, row in changed)]
    departments = _department_ids(row.department for row in rows)
    managers = _ids_of({row.manager_employee_id for row in rows if row.manager_employee_id})
    unlinked = _create_in_waves(new, departments, managers)
    people = []
    for person, row in changed:
        for name in ROW_FIELDS:
            setattr(person, name, getattr(row, name))
        person.department_id = departments.get(row.department)
        if row.manager_employee_id is None:
            person.manager_id = None
        elif row.manager_employee_id in managers:
            person.manager_id = managers[row.manager_employee_id]
        else:  # further down the file: linked once everyone is in
            unlinked.append(row.employee_id)
        people.append(person)
    User.objects.bulk_update(people, UPDATE_FIELDS)
    # bulk_update sends no signals: do what a single save's receivers would, and tell
    # the apps that show people (recognition's feed forgets its cached pages).
    forget_cached_people(person.pk for person in people)
    if people:
        people_changed_in_bulk.send(sender=User, pks=[person.pk for person in people])
    hr_hires = [row.employee_id for row in new if row.role == Role.HR_ADMIN]
    sync_admin_access([*people, *User.objects.filter(employee_id__in=hr_hires)])
    return unlinked


def _create_in_waves(
    new: Sequence[EmployeeRow], departments: Mapping[str, int | None], managers: dict[str, int]
) -> list[str]:
    """Insert managers before their reports, so each row is written once, manager included;
    the employee ids of those inserted without their manager.

    Each wave inserts the rows whose manager already has an id; the ids it returns let
    the next wave's reports point at them. Reports of managers further down the file are
    inserted last, unlinked.
    """
    unusable_password = make_password(None)
    waiting = [
        (
            {
                **{name: getattr(row, name) for name in ROW_FIELDS},
                "employee_id": row.employee_id,
                "password": unusable_password,
                "department_id": departments.get(row.department),
            },
            row,
        )
        for row in new
    ]
    while waiting:
        ready = [
            pair
            for pair in waiting
            if not pair[1].manager_employee_id or pair[1].manager_employee_id in managers
        ]
        if not ready:
            break
        for values, row in ready:
            values["manager_id"] = managers.get(row.manager_employee_id or "")
        insert_rows(User, [values for values, _ in ready], with_ids=True)
        if any(values["id"] is None for values, _ in ready):  # no RETURNING on this database
            managers.update(_ids_of({row.employee_id for _, row in ready}))
        else:
            managers.update({row.employee_id: values["id"] for values, row in ready})
        done = {id(values) for values, _ in ready}
        waiting = [pair for pair in waiting if id(pair[0]) not in done]
    insert_rows(User, [values for values, _ in waiting], with_ids=True)
    return [row.employee_id for _, row in waiting]


def _department_ids(names: Iterable[str]) -> dict[str, int | None]:
    """Each name's department id, found in any letter case; a new name is created as the
    first row spelled it (``""`` is no department)."""
    spellings = list(dict.fromkeys(names))
    found = dict(
        Department.objects.annotate(name_key=Lower("name"))
        .filter(name_key__in={name.lower() for name in spellings if name})
        .values_list("name_key", "pk")
    )
    ids: dict[str, int | None] = {"": None}
    for name in spellings:
        if not name:
            continue
        if name.lower() not in found:
            department = department_named(name)  # created, or found by the database's lower()
            assert department is not None
            found[name.lower()] = department.pk
        ids[name] = found[name.lower()]
    return ids


def _ids_of(employee_ids: set[str]) -> dict[str, int]:
    found = User.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "pk")
    return {employee_id: pk for employee_id, pk in found if employee_id is not None}
