"""Reads of people: the directory and the top-salaries report."""

from django.db.models import Count, Q, QuerySet

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


def team_of(manager: User) -> QuerySet[User]:
    """A manager's direct reports who are still here, with how many redemptions await them."""
    return (
        User.objects.filter(manager=manager, is_active=True)
        .select_related("department")
        .annotate(pending_redemptions=Count("redemptions", filter=Q(redemptions__status="pending")))
    )


def search_directory(
    viewer: User, *, search: str = "", department: str = "", include_inactive: bool = False
) -> QuerySet[User]:
    """The directory narrowed by name, email or employee id and department."""
    people = directory_for(viewer)
    if not include_inactive:
        people = people.filter(is_active=True)
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(employee_id__iexact=word)
        )
    if department:
        people = people.filter(department__name__iexact=department)
    return people.select_related("department", "manager")
