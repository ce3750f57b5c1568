"""Every write to people: hiring, changes, soft deactivation, and each person's own
language and time zone (:func:`set_preferences`).

Each use case checks, then does, so every door (the API, the admin, the CSV import,
commands) gets the same answer for the same input:

- **who may act**: an HR admin (a Django superuser has every power of one); only a
  superuser makes or unmakes a superuser. ``actor=None`` is the operator at the
  command line (``manage.py``), who has every power; no door a person reaches over
  the network passes it.
- **bounds**: the model fields' own (lengths, the salary's range and decimals, the
  role's choices), defined once in :mod:`plaudit.people.models` and refused in their
  validators' words at every door (:func:`check_bound`, :func:`bounded_field`).
- **letter case**: emails that differ only by case are one email, and a department
  is found by its name in any case.
- **the reporting line** never loops back on itself, and nobody is newly put under a
  manager who has left (who already reports to them stays: :func:`check_manager_active`).
- **access**: nobody deactivates themselves, and the company always keeps an active
  HR admin. That is decided with every active HR admin's row locked, in id order,
  before the person's own, so two HR admins demoting each other at the same moment
  cannot both succeed; and under those locks the actor is read again, so an HR admin
  demoted or deactivated a moment ago acts no more (:class:`NotAllowed`).

Lock order (every writer of people takes its locks in this order, so none deadlocks with
another): every active HR admin's row, in id order (when a change can take HR's powers
away), then each person's own row, in id order.

The database backs the uniqueness rules with constraints; a clash that slips past
the checks (a concurrent hire) comes back as :class:`PersonConflict` naming the field,
never as the constraint's name.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core.constraints import constraint_name, refusal_for
from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.core.services import check_fields, check_model_values

from .access import sync_admin_access
from .errors import (
    CannotDeactivateYourself,
    EmailTaken,
    EmployeeIdTaken,
    InvalidManager,
    LastHRAdmin,
    PersonConflict,
)
from .models import DEPARTMENT_UNIQUE_IGNORING_CASE, Department, User, bounded_field
from .roles import is_active_hr_admin, is_hr_admin
from .selectors import active_hr_admins

# Checked against their model field's own bounds, in the form's order.
BOUNDED_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "employee_id",
    "title",
    "role",
    "salary",
    "hire_date",
    "birth_date",
)
PERSON_FIELDS = frozenset({*BOUNDED_FIELDS, "manager"})
# Who may sign in, and where: the admin's "Access" fields.
ACCESS_FIELDS = frozenset({"is_active", "is_staff", "is_superuser"})
CHANGEABLE_FIELDS = PERSON_FIELDS | ACCESS_FIELDS | {"department"}
# A change to one of these can make someone stop being an active HR admin.
HR_ADMIN_FIELDS = frozenset({"role", "is_active", "is_superuser"})
# A change to one of these may give or take away the admin the role gives (access.py).
ADMIN_ACCESS_FIELDS = HR_ADMIN_FIELDS | {"is_staff"}
# The check constraints a refusal of the database can name, and the field at fault.
CHECK_CONSTRAINT_FIELDS = {"salary_not_negative": "salary", "person_not_own_manager": "manager"}
OWN_MANAGER = next(c for c in User._meta.constraints if c.name == "person_not_own_manager")


# --- Checks: each raises the domain's error, and none writes ---------------------------


def check_can_manage_people(actor: User | None) -> None:
    """Hiring, changing and deactivating people is HR's; ``None`` is the operator."""
    if actor is not None and not is_hr_admin(actor):
        raise NotAllowed(_("Only an HR admin may hire, change or deactivate people."))


def check_can_grant_superuser(actor: User | None) -> None:
    """A superuser has every permission in the admin: only another one hands that out."""
    if actor is not None and not actor.is_superuser:
        raise NotAllowed(
            _("Only a superuser may make or unmake a superuser."), field="is_superuser"
        )


def check_can_change_superuser(actor: User | None, person: User) -> None:
    """A superuser's account (their sign-in, their access) is changed only by another
    superuser: whoever could reset it could act with every power it holds."""
    if person.is_superuser and actor is not None and not actor.is_superuser:
        raise NotAllowed(_("Only a superuser may change a superuser's account."))


def check_bound(name: str, value: Any) -> Any:
    """``value`` within the bounds of the person's field ``name``; as it would be stored.
    Refused in the model's words, naming ``name``."""
    try:
        return bounded_field(name).clean(value, None)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field=name) from exc


def check_bounds(values: Mapping[str, Any]) -> dict[str, Any]:
    """Each value within its model field's bounds; the values as they would be stored."""
    cleaned = dict(values)
    for name in BOUNDED_FIELDS:
        if name in values:
            cleaned[name] = check_bound(name, values[name])
    if cleaned.get("email"):
        cleaned["email"] = User.objects.normalize_email(cleaned["email"])
    if "employee_id" in cleaned and not cleaned["employee_id"]:
        cleaned["employee_id"] = None  # unique: "no employee id" is NULL, never ""
    return cleaned


def people_with_email(email: str | F) -> QuerySet[User]:
    """Everyone whose email is ``email`` in any letter case; ``email`` may be a column of
    an outer query (``OuterRef``), for a set-based check of many rows at once.

    Compared with the database's own ``lower()``, as its unique constraint does (and
    through that constraint's index).
    """
    other = Lower(Value(email) if isinstance(email, str) else email)
    return User.objects.alias(email_key=Lower("email")).filter(email_key=other)


def check_email_free(email: str, *, person: User | None = None) -> None:
    clashes = people_with_email(email)
    if person is not None and person.pk is not None:
        clashes = clashes.exclude(pk=person.pk)
    if clashes.exists():
        raise EmailTaken()


def check_employee_id_free(employee_id: str | None, *, person: User | None = None) -> None:
    if not employee_id:
        return
    clashes = User.objects.filter(employee_id=employee_id)
    if person is not None and person.pk is not None:
        clashes = clashes.exclude(pk=person.pk)
    if clashes.exists():
        raise EmployeeIdTaken()


def departments_named(name: str) -> QuerySet[Department]:
    """The department called ``name`` in any letter case (at most one: a constraint says so)."""
    return Department.objects.alias(name_key=Lower("name")).filter(name_key=Lower(Value(name)))


def check_department_name(name: str | None) -> str:
    """The name as it would be stored (trimmed; ``""`` for none), within its bound."""
    name = (name or "").strip()
    if name:
        check_bound("department", name)
    return name


def inactive_manager_message(manager: object) -> str:
    """The words for a manager who has left, however a door names them."""
    return _("%(manager)s is no longer active; choose an active manager.") % {"manager": manager}


def check_manager_active(manager: User, *, current_manager_id: int | None) -> None:
    """Nobody is newly put under someone who has left; who already reports to them stays
    (a change of their other fields, or a row that names the same manager again, passes).

    ``current_manager_id``: whom the person reports to now (``None`` for a hire).
    """
    if not manager.is_active and manager.pk != current_manager_id:
        raise InvalidInput(inactive_manager_message(manager), field="manager")


def newly_under_an_inactive_manager(employee_id: Any, manager_employee_id: Any) -> Q:
    """:func:`check_manager_active` set-based, for rows that name people by employee id
    (columns of an outer query, ``OuterRef``): the manager has left, and the person does
    not already report to them."""
    return Exists(User.objects.filter(employee_id=manager_employee_id, is_active=False)) & ~Exists(
        User.objects.filter(employee_id=employee_id, manager__employee_id=manager_employee_id)
    )


def check_manager(person: User | None, manager: User | None) -> None:
    """A manager is someone active (unless they already were this person's), and nobody
    reports to themselves, directly or through a chain."""
    if manager is None:
        return
    check_manager_active(manager, current_manager_id=person.manager_id if person else None)
    if person is None or person.pk is None:
        return
    if manager.pk == person.pk:  # the database's own check, in its words
        raise InvalidInput(str(OWN_MANAGER.get_violation_error_message()), field="manager")
    seen: set[int] = set()
    current: User | None = manager
    while current is not None and current.pk not in seen:
        if current.pk == person.pk:
            raise InvalidManager()
        seen.add(current.pk)
        current = current.manager


def check_keeps_an_hr_admin(person: User, changes: Mapping[str, Any]) -> None:
    """Refuse a change that would leave the company without an active HR admin.

    Exact only while :func:`lock_active_hr_admins` holds their rows.
    """
    after = {name: changes.get(name, getattr(person, name)) for name in HR_ADMIN_FIELDS}
    was = is_active_hr_admin(
        is_active=person.is_active, is_superuser=person.is_superuser, role=person.role
    )
    if not was or is_active_hr_admin(**after):
        return
    if active_hr_admins().exclude(pk=person.pk).exists():
        return
    if not after["is_active"]:
        raise LastHRAdmin(field="is_active")
    raise LastHRAdmin(field="role" if after["role"] != person.role else "is_superuser")


def check_can_deactivate(*, actor: User | None, person: User, field: str | None = None) -> None:
    """Nobody shuts themselves out, and the company keeps an active HR admin.

    ``field``: the input that asked for it, if any (the admin's "active" box).
    """
    if actor is not None and actor.pk == person.pk:
        raise CannotDeactivateYourself(field=field)
    try:
        check_keeps_an_hr_admin(person, {"is_active": False})
    except LastHRAdmin:
        raise LastHRAdmin(field=field) from None


def check_new_person(
    *, actor: User | None, fields: Mapping[str, Any], department: Department | str | None = None
) -> dict[str, Any]:
    """Every rule a hire must pass; the values as they would be stored."""
    check_can_manage_people(actor)
    check_fields(fields, PERSON_FIELDS | ACCESS_FIELDS, kind="person")
    if not fields.get("email"):
        raise InvalidInput(_("Every person needs an email address."), field="email")
    values = check_bounds(fields)
    if values.get("is_superuser"):
        check_can_grant_superuser(actor)
    check_email_free(values["email"])
    check_employee_id_free(values.get("employee_id"))
    check_manager(None, values.get("manager"))
    if not isinstance(department, Department):
        check_department_name(department)
    return values


def check_person_change(
    *, actor: User | None, person: User, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Every rule a change to ``person`` must pass; the values as they would be stored.

    The admin's form runs it to show a refusal beside its field;
    :func:`update_person` runs it again under the row locks that make it exact.
    """
    check_can_manage_people(actor)
    check_can_change_superuser(actor, person)
    check_fields(changes, CHANGEABLE_FIELDS, kind="person")
    values = check_bounds(changes)
    if "is_superuser" in values and values["is_superuser"] != person.is_superuser:
        check_can_grant_superuser(actor)
    if "email" in values:
        check_email_free(values["email"], person=person)
    if "employee_id" in values:
        check_employee_id_free(values["employee_id"], person=person)
    if "department" in values and not isinstance(values["department"], Department):
        values["department"] = check_department_name(values["department"])
    if "manager" in values:
        check_manager(person, values["manager"])
    if person.is_active and values.get("is_active") is False:
        check_can_deactivate(actor=actor, person=person, field="is_active")
    check_keeps_an_hr_admin(person, values)
    return values


# --- Locks and database refusals --------------------------------------------------------


def lock_active_hr_admins() -> list[int]:
    """Lock every active HR admin's row, in id order; their ids.

    Whoever may take someone's HR powers away takes these locks before any single
    person's row, so the check that one stays sees each concurrent demotion either
    committed or not begun. PostgreSQL re-reads a row it waited for and drops it
    from the answer if it no longer matches.
    """
    return list(active_hr_admins().select_for_update().values_list("pk", flat=True))


def check_actor_still_hr_admin(actor: User | None, locked_hr_admins: list[int]) -> None:
    """The actor is still an active HR admin, as the locks of
    :func:`lock_active_hr_admins` (their ids: ``locked_hr_admins``) see it.

    Who may act was first decided on the actor as their request read them; an HR admin
    demoted or deactivated since (by a change these locks waited for) acts no more.
    """
    if actor is not None and actor.pk not in locked_hr_admins:
        raise NotAllowed(_("You are no longer an active HR admin."))


def _lock_person(person: User) -> User:
    return User.objects.select_for_update().get(pk=person.pk)


def refusal_for_person(exc: IntegrityError) -> DomainError:
    """A write to a person the database refused (a clash the checks could not foresee, such
    as a concurrent hire), in the services' words and naming the field; the constraint's
    name goes to the log only."""
    # SQLite names a field's own unique index only by its column ("people_user.email").
    said = constraint_name(exc) or str(exc)
    for name, field in CHECK_CONSTRAINT_FIELDS.items():
        if name in said:
            constraint = next(c for c in User._meta.constraints if c.name == name)
            return InvalidInput(str(constraint.get_violation_error_message()), field=field)
    if "employee_id" in said:
        return PersonConflict(EmployeeIdTaken.default_detail, field="employee_id")
    if "email" in said:
        return PersonConflict(EmailTaken.default_detail, field="email")
    if DEPARTMENT_UNIQUE_IGNORING_CASE in said:
        (constraint,) = Department._meta.constraints
        return PersonConflict(str(constraint.get_violation_error_message()), field="department")
    return refusal_for(exc, where="the people services")


# --- Doing -------------------------------------------------------------------------------


def department_named(name: str | None) -> Department | None:
    """The department called ``name`` in any letter case; a new name creates it."""
    name = check_department_name(name)
    if not name:
        return None
    existing = departments_named(name).first()
    if existing is not None:  # "research" is the Research department, not a new one
        return existing
    try:
        with transaction.atomic():
            return Department.objects.create(name=name)
    except IntegrityError:  # another door created it a moment ago, in some letter case
        return departments_named(name).get()


def _department(value: Department | str | None) -> Department | None:
    return value if isinstance(value, Department) else department_named(value)


def create_person(
    *,
    actor: User | None,
    password: str | None = None,
    department: Department | str | None = None,
    **fields: Any,
) -> User:
    """Hire someone; ``department`` is a name (found in any case, created if new)."""
    check_can_manage_people(actor)
    try:
        with transaction.atomic():
            values = check_new_person(actor=actor, fields=fields, department=department)
            person = User.objects.create_user(
                password=password, department=_department(department), **values
            )
            sync_admin_access([person])
            record(
                audit.PERSON_CREATED,
                actor=actor,
                target=person,
                email=person.email,
                role=person.role,
                is_superuser=person.is_superuser,
            )
            return person
    except IntegrityError as exc:
        raise refusal_for_person(exc) from exc


def update_person(
    person: User, *, actor: User | None, password: str | None = None, **changes: Any
) -> User:
    """Apply HR's changes; the person as saved (read again under their row lock).

    ``department`` is a name, as in :func:`create_person`, or a department.
    """
    check_can_manage_people(actor)
    try:
        with transaction.atomic():
            if changes.keys() & HR_ADMIN_FIELDS:
                check_actor_still_hr_admin(actor, lock_active_hr_admins())
            locked = _lock_person(person)
            values = check_person_change(actor=actor, person=locked, changes=changes)
            if "department" in values:
                values["department"] = _department(values["department"])
            before = {name: getattr(locked, name) for name in HR_ADMIN_FIELDS}
            for name, value in values.items():
                setattr(locked, name, value)
            update_fields = list(values)
            if password:
                locked.set_password(password)
                update_fields.append("password")
            locked.save(update_fields=update_fields)
            if values.keys() & ADMIN_ACCESS_FIELDS:
                sync_admin_access([locked])
            _record_access_changes(actor, locked, before)
    except IntegrityError as exc:
        raise refusal_for_person(exc) from exc
    return locked


# --- A person's own preferences ------------------------------------------------------

PREFERENCE_FIELDS = ("language", "time_zone")


def check_can_set_preferences(actor: User | None, person: User) -> None:
    """A person's language and time zone are theirs to choose; an HR admin (and the
    operator, ``None``) may set them too, as they set the rest of the roster."""
    if actor is not None and actor.pk != person.pk and not is_hr_admin(actor):
        raise NotAllowed(_("You may only change your own language and time zone."))


def check_preferences(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Each value one its field stores (blank: no choice of their own); refused in the
    field's own words, naming it."""
    check_fields(changes, PREFERENCE_FIELDS, kind="preference")
    values = {
        name: value.strip() if isinstance(value, str) else value for name, value in changes.items()
    }
    check_model_values(User, values)
    return values


def set_preferences(*, actor: User | None, person: User, **changes: Any) -> User:
    """Set the person's ``language`` (a code of ``settings.LANGUAGES``) and/or
    ``time_zone`` (an IANA name); ``""`` goes back to their browser's language and the
    company's time zone. The person as saved (read again under their row lock).

    Every door (``PATCH /api/v1/me/``, the settings page, the language switcher) comes
    here. Saving forgets their cached copy and pages, so their next request reads and
    renders in the new choice.
    """
    check_can_set_preferences(actor, person)
    values = check_preferences(changes)
    with transaction.atomic():
        locked = _lock_person(person)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=changed)
    return locked


def deactivate_person(person: User, *, actor: User | None) -> User:
    """They can no longer sign in (session or token); their history stays.

    Deactivating someone already inactive changes nothing and is no error.
    """
    check_can_manage_people(actor)
    with transaction.atomic():
        check_actor_still_hr_admin(actor, lock_active_hr_admins())
        locked = _lock_person(person)
        check_can_change_superuser(actor, locked)
        check_can_deactivate(actor=actor, person=locked)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            sync_admin_access([locked])
            record(audit.PERSON_DEACTIVATED, actor=actor, target=locked, email=locked.email)
    return locked


def _record_access_changes(actor: User | None, person: User, before: Mapping[str, Any]) -> None:
    """The audit log's facts for a change to a person's role, superuser flag or access."""
    if (before["role"], before["is_superuser"]) != (person.role, person.is_superuser):
        record(
            audit.ROLE_CHANGED,
            actor=actor,
            target=person,
            email=person.email,
            role_from=before["role"],
            role_to=person.role,
            superuser_from=before["is_superuser"],
            superuser_to=person.is_superuser,
        )
    if before["is_active"] != person.is_active:
        action = audit.PERSON_REACTIVATED if person.is_active else audit.PERSON_DEACTIVATED
        record(action, actor=actor, target=person, email=person.email)
