"""What each role may do, as plain predicates shared by permissions and selectors."""

from typing import Any

from django.db import models


class Role(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    MANAGER = "manager", "Manager"
    HR_ADMIN = "hr_admin", "HR admin"


def is_hr_admin(user: Any) -> bool:
    """A Django superuser has every power of an HR admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.HR_ADMIN)
    )


def is_manager_of(user: Any, person: Any) -> bool:
    """Direct reports only: a manager approves the people who report to them."""
    return bool(user is not None and user.is_authenticated and person.manager_id == user.pk)


def is_manager(user: Any) -> bool:
    """Managers have a team page and an approvals queue; HR admins see every team."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.role == Role.MANAGER or is_hr_admin(user))
    )
