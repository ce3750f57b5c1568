"""What each kind of import expects: its columns, its key and how one row is checked.

Cleaning is pure (no queries): it turns the text cells of one row into typed,
normalised values or a list of ``(column, message)`` complaints. Everything that
needs the database or the rest of the file (duplicates, managers further down,
conflicts with existing people) is decided later, set-based, by the service.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from plaudit.people.roles import Role
from plaudit.people.serializers import MAX_SALARY
from plaudit.rewards.codes import MAX_CODE_LENGTH, code_digest, encrypt_code
from plaudit.rewards.models import (
    EDITABLE_REWARD_FIELDS,
    MAX_PER_USER_LIMIT,
    MAX_REWARD_COST,
    MAX_REWARD_STOCK,
)

from .models import ImportKind

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
REWARD_COLUMNS = ("sku", *EDITABLE_REWARD_FIELDS)
CODE_COLUMNS = ("code",)

Complaint = tuple[str, str]


@dataclass
class CleanRow:
    """A row that passed its own checks, ready to be staged."""

    key: str
    data: dict[str, Any]
    email: str | None = None
    ref_key: str | None = None


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    columns: tuple[str, ...]
    key_column: str
    clean: Callable[[dict[str, str]], CleanRow | list[Complaint]]


def _echo(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


class _Row:
    """Collects complaints while a row's cells are converted one by one."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.complaints: list[Complaint] = []

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = self.values[column].strip()
        if required and not value:
            self.complaints.append((column, "is required"))
        elif len(value) > max_length:
            self.complaints.append((column, f"is {len(value)} characters; at most {max_length}"))
        return value

    def integer(
        self, column: str, *, minimum: int, maximum: int, required: bool = False
    ) -> int | None:
        value = self.values[column].strip()
        if not value:
            if required:
                self.complaints.append((column, "is required"))
            return None
        try:
            number = int(value)
        except ValueError:
            self.complaints.append((column, f"'{_echo(value)}' is not a whole number"))
            return None
        if not minimum <= number <= maximum:
            self.complaints.append((column, f"must be between {minimum} and {maximum}"))
            return None
        return number

    def day(self, column: str) -> date | None:
        value = self.values[column].strip()
        if not value:
            return None
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.complaints.append((column, f"'{_echo(value)}' is not a date like 2024-03-31"))
        return None

    def moment(self, column: str) -> datetime | None:
        value = self.values[column].strip()
        if not value:
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.complaints.append(
                (column, f"'{_echo(value)}' is not a date and time like 2024-03-31T09:00:00+00:00")
            )
            return None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed

    def flag(self, column: str, *, default: bool) -> bool:
        value = self.values[column].strip().lower()
        if not value:
            return default
        if value in {"true", "1", "yes", "y"}:
            return True
        if value in {"false", "0", "no", "n"}:
            return False
        self.complaints.append((column, f"'{_echo(value)}' is not true or false"))
        return default


def clean_employee(values: dict[str, str]) -> CleanRow | list[Complaint]:
    row = _Row(values)
    employee_id = row.text("employee_id", max_length=64, required=True)
    email = row.text("email", max_length=254, required=True)
    if email and len(email) <= 254:
        try:
            validate_email(email)
        except ValidationError:
            row.complaints.append(("email", f"'{_echo(email)}' is not a valid email address"))
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
            ("role", f"'{_echo(role)}' is not a role; use one of {', '.join(Role.values)}")
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
                ("salary", f"'{_echo(salary_text)}' is not a number like 52000.00")
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


def clean_reward(values: dict[str, str]) -> CleanRow | list[Complaint]:
    row = _Row(values)
    sku = row.text("sku", max_length=64, required=True)
    name = row.text("name", max_length=200, required=True)
    description = row.text("description", max_length=10_000)
    category = row.text("category", max_length=100)
    cost = row.integer("cost", minimum=1, maximum=MAX_REWARD_COST, required=True)
    stock = row.integer("stock", minimum=0, maximum=MAX_REWARD_STOCK)
    per_user_limit = row.integer("per_user_limit", minimum=1, maximum=MAX_PER_USER_LIMIT)
    available_from = row.moment("available_from")
    expires_at = row.moment("expires_at")
    if available_from and expires_at and expires_at <= available_from:
        row.complaints.append(("expires_at", "must be after available_from"))
    is_active = row.flag("is_active", default=True)
    if row.complaints:
        return row.complaints
    return CleanRow(
        key=sku,
        data={
            "name": name,
            "description": description,
            "category": category,
            "cost": cost,
            "stock": stock,
            "per_user_limit": per_user_limit,
            "available_from": available_from.isoformat() if available_from else None,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "is_active": is_active,
        },
    )


def clean_code(values: dict[str, str]) -> CleanRow | list[Complaint]:
    """The code is encrypted at once: not even the staging table holds it in the clear."""
    row = _Row(values)
    code = row.text("code", max_length=MAX_CODE_LENGTH, required=True)
    if row.complaints:
        return row.complaints
    return CleanRow(key=code_digest(code), data={"ciphertext": encrypt_code(code)})


SPECS: dict[str, ImportSpec] = {
    ImportKind.EMPLOYEES: ImportSpec(
        ImportKind.EMPLOYEES.value, EMPLOYEE_COLUMNS, "employee_id", clean_employee
    ),
    ImportKind.REWARDS: ImportSpec(ImportKind.REWARDS.value, REWARD_COLUMNS, "sku", clean_reward),
    ImportKind.REWARD_CODES: ImportSpec(
        ImportKind.REWARD_CODES.value, CODE_COLUMNS, "code", clean_code
    ),
}
