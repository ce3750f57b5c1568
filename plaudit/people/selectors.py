"""Reads of people: the directory and the top-salaries report."""

from django.db.models import QuerySet

from .models import User
from .roles import is_hr_admin


def directory_for(viewer: User) -> QuerySet[User]:
    """Everyone signed in sees active colleagues; HR admins also the deactivated."""
    people = User.objects.select_related("department")
    return people if is_hr_admin(viewer) else people.filter(is_active=True)


def person_visible_to(viewer: User) -> QuerySet[User]:
    """A single profile stays reachable after deactivation, so history links resolve."""
    return User.objects.select_related("department")


def top_salaries(n: int) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, salary__isnull=False)
        .select_related("department")
        .order_by("-salary", "last_name", "id")[:n]
    )
