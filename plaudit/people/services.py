"""Every write to people: hiring, changes, and soft deactivation."""

from typing import Any

from django.db import IntegrityError, transaction

from plaudit.core.services import check_fields

from .errors import CannotDeactivateYourself, InvalidManager, PersonConflict
from .models import Department, User

PERSON_FIELDS = frozenset(
    {
        "email",
        "first_name",
        "last_name",
        "employee_id",
        "title",
        "role",
        "salary",
        "hire_date",
        "birth_date",
        "manager",
    }
)


def department_named(name: str | None) -> Department | None:
    """Departments are named in the API; a new name creates the department."""
    name = (name or "").strip()
    if not name:
        return None
    existing = Department.objects.filter(name__iexact=name).order_by("pk").first()
    if existing is not None:  # "research" is the Research department, not a new one
        return existing
    department, _ = Department.objects.get_or_create(name=name)
    return department


def check_manager(person: User | None, manager: User | None) -> None:
    """A person cannot report to themselves, directly or through a chain."""
    if manager is None or person is None or person.pk is None:
        return
    seen: set[int] = set()
    current: User | None = manager
    while current is not None and current.pk not in seen:
        if current.pk == person.pk:
            raise InvalidManager()
        seen.add(current.pk)
        current = current.manager
    return


def create_person(
    *, password: str | None = None, department: str | None = None, **fields: Any
) -> User:
    check_fields(fields, PERSON_FIELDS, kind="person")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                password=password, department=department_named(department), **fields
            )
    except IntegrityError as exc:
        raise PersonConflict() from exc


def update_person(person: User, *, password: str | None = None, **changes: Any) -> User:
    """Apply HR's changes; ``department`` is a name, as in :func:`create_person`."""
    check_fields(changes, PERSON_FIELDS | {"department"}, kind="person")
    if "manager" in changes:
        check_manager(person, changes["manager"])
    if "department" in changes:
        changes["department"] = department_named(changes["department"])
    if "email" in changes:
        changes["email"] = User.objects.normalize_email(changes["email"])
    for name, value in changes.items():
        setattr(person, name, value)
    update_fields = list(changes)
    if password:
        person.set_password(password)
        update_fields.append("password")
    try:
        with transaction.atomic():
            person.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise PersonConflict() from exc
    return person


def deactivate_person(person: User, *, by: User | None = None) -> User:
    """They can no longer sign in (session or token); their history stays.

    ``by``: who asks; nobody may shut themselves out.
    """
    if by is not None and by.pk == person.pk:
        raise CannotDeactivateYourself()
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    return person
