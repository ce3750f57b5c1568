"""The SCIM resources Plaudit serves, as scim2-models pydantic models, and how a person
or a group reads as one.

The models declare only what Plaudit keeps, so the published ``/Schemas`` tell an
identity provider (and the compliance checker) exactly what it can write:

- ``userName``, the provider's sign-in name for the person (their email unless the
  provider says otherwise); ``emails`` (required): Plaudit keeps one address, the
  person's email (the work one sent, else the first), shown as
  their work address.
  ``name.givenName``/``familyName`` are the first and last names, ``displayName`` and
  ``name.formatted`` follow from them; ``title``; ``active``.
- the enterprise extension: ``employeeNumber`` (the employee id), ``department`` (a
  name, created when new) and ``manager`` (``value``: the manager's SCIM id; a
  ``$ref`` alone names them too).
- ``groups`` (read-only): the person's SCIM groups.

The version (``meta.version``, the ETag) is a hash of everything else the resource
says, so any change, through SCIM or any other door, gives a new one.
"""

import hashlib
import json
from typing import Annotated, Any, cast

from pydantic import Field
from scim2_models import (
    URN,
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    Context,
    ETag,
    ExtensibleStringEnum,
    Extension,
    Filter,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models.resources.user import GroupMembership

from plaudit.people.models import User

from .models import ScimGroup, ScimIdentity

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MAX_RESULTS = 200


class Name(ComplexAttribute):
    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    class Type(ExtensibleStringEnum):
        work = "work"

    value: Annotated[str | None, Required.true] = None
    type: Type | None = None
    # No "primary": Plaudit keeps one address (a provider's "primary" is ignored).


class ScimUser(Resource[AnyExtension]):
    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Name | None = None
    display_name: Annotated[str | None, Mutability.read_only] = None
    title: str | None = None
    # Absent when a person is provisioned: active. It cannot be removed afterwards: a
    # person is active or not, and "no value" means nothing in Plaudit.
    active: bool | None = None
    # Required: every person in Plaudit has an email address (RFC 7643 §7 lets a
    # service provider require an attribute the core schema leaves optional).
    emails: Annotated[list[Email] | None, Required.true] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


class Manager(ComplexAttribute):
    value: Annotated[str | None, CaseExact.true] = None
    ref: Reference["User"] | None = Field(None, serialization_alias="$ref", validation_alias="$ref")


class EnterpriseUser(Extension):
    __schema__ = URN(ENTERPRISE_SCHEMA)

    employee_number: str | None = None
    department: str | None = None
    manager: Manager | None = None


class Member(ComplexAttribute):
    class Type(ExtensibleStringEnum):
        user = "User"

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[Type | None, Mutability.immutable] = None


class ScimGroupResource(Resource[AnyExtension]):
    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    # Members are people: Plaudit's groups do not nest.
    members: list[Member] | None = None


UserResource: Any = ScimUser[EnterpriseUser]

# What Plaudit tolerates from identity providers: Entra ID's habits (a PATCH "remove"
# whose value says what to remove, a path filter for an email not there yet) and
# attributes Plaudit does not keep (ignored, as RFC 7643 §3 lets a provider do).
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


def _user_resource_type() -> ResourceType:
    resource_type = ResourceType.from_resource(UserResource)
    resource_type.name = "User"
    resource_type.id = "User"
    resource_type.description = "People"
    return resource_type


def _group_resource_type() -> ResourceType:
    resource_type = ResourceType.from_resource(ScimGroupResource)
    resource_type.name = "Group"
    resource_type.id = "Group"
    resource_type.endpoint = cast(Any, "/Groups")
    resource_type.description = "Groups, each of which may give its members a role"
    return resource_type


CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    authentication_schemes=[
        AuthenticationScheme(
            type=cast(Any, "oauthbearertoken"),
            name="API token",
            description="Authorization: Bearer plaudit_<prefix>_<secret>, a token with the "
            "scim scope (manage.py create_api_token --scope scim).",
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(
    models=[ScimUser, EnterpriseUser, ScimGroupResource],
    resource_types=[_user_resource_type(), _group_resource_type()],
    config=CONFIG,
    policy=POLICY,
)


def schema_documents() -> list[Any]:
    """The ``/Schemas`` resources, each named as RFC 7643 §8.7.1 names it."""
    documents = []
    for model, name, description in (
        (ScimUser, "User", "User Account"),
        (EnterpriseUser, "EnterpriseUser", "Enterprise User"),
        (ScimGroupResource, "Group", "Group"),
    ):
        schema = model.to_schema()
        schema.name = name
        schema.description = description
        documents.append(schema)
    return documents


def version_of(payload: dict[str, Any]) -> str:
    """A weak ETag of a resource's representation (its ``meta`` aside)."""
    content = {key: value for key, value in payload.items() if key != "meta"}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode())
    return f'W/"{digest.hexdigest()[:20]}"'


def user_location(base: str, person: User) -> str:
    return f"{base}Users/{person.pk}"


def group_location(base: str, group: ScimGroup) -> str:
    return f"{base}Groups/{group.pk}"


def user_resource(person: User, base: str) -> Any:
    """The SCIM User a person reads as; ``base`` is ``https://host/scim/v2/``."""
    identity: ScimIdentity | None = getattr(person, "scim_identity", None)
    full_name = person.get_full_name() or None
    manager = person.manager
    resource = UserResource(
        id=str(person.pk),
        external_id=(identity.external_id or None) if identity else None,
        user_name=(identity.user_name if identity else "") or person.email,
        name=Name(
            given_name=person.first_name or None,
            family_name=person.last_name or None,
        ),
        display_name=full_name or person.email,
        title=person.title or None,
        active=person.is_active,
        emails=[Email(value=person.email, type=Email.Type.work)],
        groups=[
            GroupMembership(
                value=str(group.pk),
                display=group.display_name,
                ref=cast(Any, group_location(base, group)),
                type="direct",
            )
            for group in person.scim_groups.all()
        ]
        or None,
    )
    resource[EnterpriseUser] = EnterpriseUser(
        employee_number=person.employee_id or None,
        department=person.department.name if person.department else None,
        manager=Manager(value=str(manager.pk), ref=cast(Any, user_location(base, manager)))
        if manager
        else None,
    )
    changed = identity.updated_at if identity else None
    resource.meta = Meta(
        resource_type="User",
        created=person.date_joined,
        last_modified=max(filter(None, [person.date_joined, changed])),
        location=user_location(base, person),
    )
    return resource


def group_resource(group: ScimGroup, base: str) -> Any:
    resource: Any = ScimGroupResource(
        id=str(group.pk),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[
            Member(
                value=str(person.pk),
                ref=cast(Any, user_location(base, person)),
                type=Member.Type.user,
            )
            for person in group.members.all()
        ]
        or None,
    )
    resource.meta = Meta(
        resource_type="Group",
        created=group.created_at,
        last_modified=group.updated_at,
        location=group_location(base, group),
    )
    return resource


def dump(
    resource: Any, *, context: Context = Context.RESOURCE_QUERY_RESPONSE, **kwargs: Any
) -> dict[str, Any]:
    """The resource as JSON, with its version in ``meta``."""
    payload: dict[str, Any] = resource.model_dump(
        scim_ctx=context, scim_provider=PROVIDER, **kwargs
    )
    whole = resource.model_dump(scim_ctx=context, scim_provider=PROVIDER)
    if "meta" in payload or not kwargs:
        payload.setdefault("meta", {})["version"] = version_of(whole)
    return payload
