"""Reads of people: the directory, the top-salaries report, and whom an import names."""

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .models import User
from .roles import ACTIVE_HR_ADMIN, is_hr_admin


def active_hr_admins() -> QuerySet[User]:
    """Everyone who holds HR's powers now (superusers included), by id."""
    return User.objects.filter(ACTIVE_HR_ADMIN).order_by("pk")


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
    return ranked_by_prefix(people, search).select_related("department", "manager")


def ranked_by_prefix(people: QuerySet[User], search: str) -> QuerySet[User]:
    """Names that start with the words searched for come first ("ana": Ana before Hana),
    then those that only contain them; alphabetical within each."""
    words = search.split()
    if not words:
        return people
    starts = [
        Case(
            When(
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(email__istartswith=word)
                | Q(employee_id__iexact=word),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in words
    ]
    return people.annotate(search_rank=sum(starts[1:], starts[0])).order_by(
        "-search_rank", "last_name", "first_name", "id"
    )


def people_by_employee_id(employee_ids: Iterable[str]) -> dict[str, User]:
    """The people with these employee ids, by id, with what the employee import compares
    (their department's name, their manager's employee id) and what decides whether they
    are an active HR admin."""
    people = (
        User.objects.filter(employee_id__in=list(employee_ids))
        .select_related("department", "manager")
        .only(
            "employee_id",
            "email",
            "first_name",
            "last_name",
            "title",
            "role",
            "salary",
            "hire_date",
            "is_active",
            "is_superuser",
            "is_staff",
            "department__name",
            "manager__employee_id",
        )
    )
    return {person.employee_id: person for person in people if person.employee_id is not None}
