"""What each role may do, as plain predicates shared by permissions and selectors."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    HR_ADMIN = "hr_admin", _("HR admin")


# The one definition of "an active HR admin", for queries (``User.objects.filter(...)``);
# :func:`is_active_hr_admin` is the same rule for a person in hand. Nothing else spells it.
ACTIVE_HR_ADMIN = Q(is_active=True) & (Q(role=Role.HR_ADMIN) | Q(is_superuser=True))


def is_active_hr_admin(*, is_active: bool, is_superuser: bool, role: str) -> bool:
    """:data:`ACTIVE_HR_ADMIN` for values in hand (a person as read, or as they would be)."""
    return bool(is_active and (is_superuser or role == Role.HR_ADMIN))


def is_hr_admin(user: Any) -> bool:
    """A Django superuser has every power of an HR admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and is_active_hr_admin(
            is_active=user.is_active, is_superuser=user.is_superuser, role=user.role
        )
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
