"""What SCIM reads: the people and groups it serves, with what their resources show."""

from django.db.models import Prefetch, QuerySet

from plaudit.people.models import User

from .models import ScimGroup


def provisioned_people() -> QuerySet[User]:
    """Everyone, active or not, but those a SCIM DELETE removed."""
    return User.objects.exclude(scim_identity__removed_at__isnull=False)


def user_resources() -> QuerySet[User]:
    return (
        provisioned_people()
        .select_related("department", "manager", "scim_identity")
        .prefetch_related(Prefetch("scim_groups", queryset=ScimGroup.objects.order_by("pk")))
        .order_by("pk")
    )


def group_resources() -> QuerySet[ScimGroup]:
    return ScimGroup.objects.prefetch_related(
        Prefetch("members", queryset=provisioned_people().order_by("pk"))
    ).order_by("pk")
