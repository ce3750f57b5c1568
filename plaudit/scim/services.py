"""Provisioning through SCIM: every change goes through the people services, with the
SCIM token's owner (an HR admin) as the actor, so the identity provider gets the same
answers as HR in the web app, and the audit log records each change.

- A new ``userName`` hires the person (:func:`~plaudit.people.services.create_person`).
  An existing one is a 409 ``uniqueness``, as RFC 7644 §3.3 says; Entra ID and Okta
  then find the person by filter and PATCH them. A person the provider removed earlier
  (a SCIM DELETE) comes back instead: reactivated, their new attributes applied.
- ``active: false`` is :func:`~plaudit.people.services.deactivate_person`, the same
  door as the web app's "Deactivate": the ledger keeps every line, and the person's
  open redemptions stay as they are after any deactivation.
- DELETE deactivates too, and hides the person from SCIM from then on (RFC 7644 §3.6).
  No row is ever deleted.
- A person's role follows the display names of their SCIM groups through the same
  group-to-role table as single sign-on (:func:`plaudit.people.sso.role_for_groups`):
  the highest mapped role wins, an employee when none maps, superusers untouched.
"""

from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from scim2_models import InvalidValueException, UniquenessException

from plaudit.audit import actions
from plaudit.audit.services import record
from plaudit.core.fields import is_id_text
from plaudit.people import services as people
from plaudit.people import sso
from plaudit.people.models import GroupRoleMapping, User

from .models import (
    EXTERNAL_ID_MAX_LENGTH,
    GROUP_NAME_MAX_LENGTH,
    USER_NAME_MAX_LENGTH,
    ScimGroup,
    ScimIdentity,
)
from .resources import EnterpriseUser
from .selectors import people_with_user_name, provisioned_people


def _manager_from(resource: Any) -> User | None:
    extension = resource[EnterpriseUser]
    manager = extension.manager if extension else None
    if manager is None:
        return None
    # The manager's id; or, with only a $ref (".../Users/42"), the id it ends with.
    value = str(manager.value or str(manager.ref or "").rstrip("/").rsplit("/", 1)[-1])
    if not value:
        return None
    found = provisioned_people().filter(pk=int(value)).first() if is_id_text(value) else None
    if found is None:
        raise InvalidValueException(
            detail=_("No person has the SCIM id %(id)s given as manager.") % {"id": value}
        )
    return found


def email_of(resource: Any, person: User | None) -> str:
    """The one address Plaudit keeps: the work one sent, else the first; with none, a
    ``userName`` that is an address, else the person's own."""
    emails = [email for email in resource.emails or [] if email.value]
    chosen = next((email for email in emails if email.type == "work"), None) or (
        emails[0] if emails else None
    )
    if chosen is not None:
        return str(chosen.value).strip()
    user_name = (resource.user_name or "").strip()
    if "@" in user_name:
        return user_name
    return person.email if person is not None else ""


def person_values(resource: Any, person: User | None = None) -> dict[str, Any]:
    """What a SCIM User says of a person, as the people services' fields; an attribute
    it leaves out is cleared, as a replacement (PUT) asks."""
    name = resource.name
    extension = resource[EnterpriseUser]
    values: dict[str, Any] = {
        "email": email_of(resource, person),
        "first_name": (name.given_name if name else None) or "",
        "last_name": (name.family_name if name else None) or "",
        "title": resource.title or "",
        "employee_id": (extension.employee_number if extension else None) or None,
        "department": (extension.department if extension else None) or "",
        "manager": _manager_from(resource),
    }
    if resource.active is not None:
        values["is_active"] = bool(resource.active)
    return values


def _changes(person: User, values: dict[str, Any]) -> dict[str, Any]:
    """Only what differs, so an unchanged PUT writes nothing and checks nothing."""
    changes = {}
    for field, value in values.items():
        if field == "department":
            current = person.department.name if person.department else ""
            if current != value:
                changes[field] = value
        elif field == "manager":
            if person.manager_id != (value.pk if value else None):
                changes[field] = value
        elif getattr(person, field) != value:
            changes[field] = value
    return changes


def check_identifier(value: str | None, attribute: str, bound: int) -> str:
    """A userName, externalId or displayName as kept: trimmed, within its column."""
    value = (value or "").strip()
    if len(value) > bound:
        raise InvalidValueException(
            detail=_("%(attribute)s is longer than %(bound)s characters.")
            % {"attribute": attribute, "bound": bound}
        )
    return value


def check_user_resource(resource: Any) -> None:
    if not check_identifier(resource.user_name, "userName", USER_NAME_MAX_LENGTH):
        raise InvalidValueException(detail=_("userName is required."))
    check_identifier(resource.external_id, "externalId", EXTERNAL_ID_MAX_LENGTH)


def check_group_resource(resource: Any) -> None:
    if not check_identifier(resource.display_name, "displayName", GROUP_NAME_MAX_LENGTH):
        raise InvalidValueException(detail=_("displayName is required."))
    check_identifier(resource.external_id, "externalId", EXTERNAL_ID_MAX_LENGTH)


def _identity(person: User) -> ScimIdentity:
    identity, _created = ScimIdentity.objects.get_or_create(person=person)
    return identity


def _note_identity(
    person: User, *, external_id: str | None, user_name: str | None, removed: bool = False
) -> None:
    """Keep the provider's id and sign-in name for the person (a ``userName`` that is
    their email is not kept: it then follows their email wherever it is changed)."""
    identity = _identity(person)
    identity.external_id = external_id or ""
    user_name = (user_name or "").strip()
    identity.user_name = "" if user_name.lower() == person.email.lower() else user_name
    identity.updated_at = timezone.now()
    identity.removed_at = timezone.now() if removed else None
    identity.save()


def provision_user(*, actor: User, resource: Any, request: Any = None) -> User:
    """Hire the person a SCIM User describes (POST /Users); or bring back one the
    provider removed. Someone already provisioned is a ``uniqueness`` error."""
    check_user_resource(resource)
    values = person_values(resource)
    user_name = (resource.user_name or "").strip()
    with transaction.atomic():
        existing = (
            people_with_user_name(user_name).select_related("scim_identity").first()
            or people.people_with_email(values["email"]).select_related("scim_identity").first()
        )
        if existing is not None:
            identity = getattr(existing, "scim_identity", None)
            if identity is None or identity.removed_at is None:
                raise UniquenessException(detail=_("A person with this userName already exists."))
            values.setdefault("is_active", True)
            person = _apply(actor, existing, values, request=request)
            _note_identity(person, external_id=resource.external_id, user_name=user_name)
            record(
                actions.SCIM_USER_CREATED,
                actor=actor,
                target=person,
                request=request,
                email=person.email,
                external_id=resource.external_id or "",
                returned=True,
            )
            return person
        _check_employee_id_free(values.get("employee_id"), None)
        department = values.pop("department")
        person = people.create_person(actor=actor, department=department or None, **values)
        _note_identity(person, external_id=resource.external_id, user_name=user_name)
        record(
            actions.SCIM_USER_CREATED,
            actor=actor,
            target=person,
            request=request,
            email=person.email,
            external_id=resource.external_id or "",
        )
    return person


def _check_employee_id_free(employee_id: str | None, person: User | None) -> None:
    clashes = User.objects.filter(employee_id=employee_id) if employee_id else None
    if clashes is not None and person is not None:
        clashes = clashes.exclude(pk=person.pk)
    if clashes is not None and clashes.exists():
        raise UniquenessException(detail=_("Another person already has this employeeNumber."))


def _apply(actor: User, person: User, values: dict[str, Any], *, request: Any) -> User:
    changes = _changes(person, values)
    if not changes:
        return person
    if (
        "email" in changes
        and people.people_with_email(changes["email"]).exclude(pk=person.pk).exists()
    ):
        raise UniquenessException(detail=_("Another person already has this email address."))
    if "employee_id" in changes:
        _check_employee_id_free(changes["employee_id"], person)
    deactivate = changes.get("is_active") is False
    if deactivate:
        del changes["is_active"]
    if changes:
        person = people.update_person(person, actor=actor, **changes)
        record(
            actions.SCIM_USER_UPDATED,
            actor=actor,
            target=person,
            request=request,
            email=person.email,
            fields=sorted(changes),
        )
    if deactivate:
        person = people.deactivate_person(person, actor=actor)
        record(
            actions.SCIM_USER_DEACTIVATED,
            actor=actor,
            target=person,
            request=request,
            email=person.email,
        )
    return person


def update_user(*, actor: User, person: User, resource: Any, request: Any = None) -> User:
    """Make the person what the SCIM User says (PUT, or a PATCH once applied)."""
    check_user_resource(resource)
    user_name = (resource.user_name or "").strip()
    with transaction.atomic():
        if people_with_user_name(user_name).exclude(pk=person.pk).exists():
            raise UniquenessException(detail=_("A person with this userName already exists."))
        person = _apply(actor, person, person_values(resource, person), request=request)
        _note_identity(person, external_id=resource.external_id, user_name=user_name)
    return person


def remove_user(*, actor: User, person: User, request: Any = None) -> None:
    """DELETE /Users/{id}: deactivated, and no longer a SCIM resource; nothing deleted."""
    with transaction.atomic():
        person = people.deactivate_person(person, actor=actor)
        identity = _identity(person)
        _note_identity(
            person,
            external_id=identity.external_id,
            user_name=identity.user_name or person.email,
            removed=True,
        )
        record(
            actions.SCIM_USER_REMOVED,
            actor=actor,
            target=person,
            request=request,
            email=person.email,
        )


# --- Groups ------------------------------------------------------------------------------


def _members(resource: Any) -> list[User]:
    ids = [str(member.value) for member in resource.members or [] if member.value]
    numbers = {int(value) for value in ids if is_id_text(value)}
    found = list(provisioned_people().filter(pk__in=numbers))
    if len(found) != len(set(ids)):
        raise InvalidValueException(detail=_("A member is not a person Plaudit knows."))
    return found


def _gives_a_role(*names: str) -> bool:
    """Whether any of ``names`` is mapped in the group-to-role table (letter case ignored)."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    return GroupRoleMapping.objects.annotate(lower=Lower("group")).filter(lower__in=wanted).exists()


def _sync_roles(actor: User | None, people_ids: set[int], *, request: Any = None) -> None:
    """Each person's role becomes what their SCIM groups' names give through the
    group-to-role table (the same rule as a single sign-on): the highest mapped role, an
    employee when none maps; unchanged when HR has mapped no group at all."""
    for person in User.objects.filter(pk__in=people_ids, is_superuser=False).order_by("pk"):
        names = list(person.scim_groups.values_list("display_name", flat=True))
        role = sso.role_for_groups(names)
        if role is None or person.role == role:
            continue
        people.update_person(person, actor=actor, role=role)
        record(
            actions.ROLE_CHANGED,
            actor=actor,
            target=person,
            request=request,
            email=person.email,
            role=str(role),
            source="scim",
        )


def sync_roles_for_group_names(actor: User | None, names: list[str]) -> None:
    """HR changed what ``names`` give in the group-to-role table: the members of SCIM
    groups by those names (letter case ignored) get their roles again, at once."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return
    groups = ScimGroup.objects.annotate(lower=Lower("display_name")).filter(lower__in=wanted)
    members = set(
        ScimGroup.members.through.objects.filter(scimgroup__in=groups).values_list(
            "user_id", flat=True
        )
    )
    with transaction.atomic():
        _sync_roles(actor, members)


def _check_name_free(name: str, group: ScimGroup | None) -> None:
    clashes = ScimGroup.objects.filter(display_name__iexact=name)
    if group is not None:
        clashes = clashes.exclude(pk=group.pk)
    if clashes.exists():
        raise UniquenessException(detail=_("A group with this displayName already exists."))


def create_group(*, actor: User, resource: Any, request: Any = None) -> ScimGroup:
    check_group_resource(resource)
    name = (resource.display_name or "").strip()
    with transaction.atomic():
        _check_name_free(name, None)
        members = _members(resource)
        group = ScimGroup.objects.create(display_name=name, external_id=resource.external_id or "")
        group.members.set(members)
        if _gives_a_role(name):
            _sync_roles(actor, {person.pk for person in members}, request=request)
        record(
            actions.SCIM_GROUP_CREATED,
            actor=actor,
            target=group,
            request=request,
            name=name,
            members=len(members),
        )
    return group


def update_group(*, actor: User, group: ScimGroup, resource: Any, request: Any = None) -> ScimGroup:
    check_group_resource(resource)
    name = (resource.display_name or "").strip()
    with transaction.atomic():
        group = ScimGroup.objects.select_for_update().get(pk=group.pk)
        _check_name_free(name, group)
        members = _members(resource)
        before = set(group.members.values_list("pk", flat=True))
        after = {person.pk for person in members}
        old_name = group.display_name
        group.display_name = name
        group.external_id = resource.external_id or ""
        group.updated_at = timezone.now()
        group.save()
        group.members.set(members)
        if old_name.lower() != name.lower() and _gives_a_role(old_name, name):
            _sync_roles(actor, before | after, request=request)
        elif before != after and _gives_a_role(name):
            _sync_roles(actor, before ^ after, request=request)
        record(
            actions.SCIM_GROUP_UPDATED,
            actor=actor,
            target=group,
            request=request,
            name=name,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    return group


def remove_group(*, actor: User, group: ScimGroup, request: Any = None) -> None:
    with transaction.atomic():
        group = ScimGroup.objects.select_for_update().get(pk=group.pk)
        members = set(group.members.values_list("pk", flat=True))
        record(
            actions.SCIM_GROUP_REMOVED,
            actor=actor,
            target=group,
            request=request,
            name=group.display_name,
        )
        name = group.display_name
        group.delete()
        if _gives_a_role(name):
            _sync_roles(actor, members, request=request)
