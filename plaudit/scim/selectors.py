"""What SCIM reads: the people and groups it serves, with what their resources show."""

from django.db.models import CharField, F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from plaudit.people.models import User

from .models import ScimGroup

# A person's SCIM userName: the provider's sign-in name for them, else their email.
USER_NAME = Coalesce(
    NullIf(F("scim_identity__user_name"), Value("")), F("email"), output_field=CharField()
)


def provisioned_people() -> QuerySet[User]:
    """Everyone, active or not, but those a SCIM DELETE removed; with their SCIM
    ``userName`` (``scim_user_name``): the provider's, else their email."""
    return User.objects.exclude(scim_identity__removed_at__isnull=False).annotate(
        scim_user_name=USER_NAME
    )


def people_with_user_name(user_name: str) -> QuerySet[User]:
    """Everyone (a removed person too) whose SCIM ``userName`` is ``user_name``, in any
    letter case (RFC 7643 §4.1.1: userName is not case-exact)."""
    return User.objects.annotate(scim_user_name=USER_NAME).filter(scim_user_name__iexact=user_name)


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
