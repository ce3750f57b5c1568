"""Single sign-on: who the company's identity provider says someone is, made true in
Plaudit through the people services (the one door for every change to people).

At every sign-in through OpenID Connect or SAML
(:class:`plaudit.web.auth.CompanySocialAccountAdapter`):

- a person known by the provider's account, or else by their email in any letter case,
  signs in; one deactivated in Plaudit is refused (:class:`SSOPersonInactive`) and left
  as they are. An email is only believed when the provider vouches for it (OpenID
  Connect's ``email_verified`` claim; SAML's when ``SSO_SAML_EMAIL_VERIFIED``, on by
  default: the company's IdP is the authority on its addresses): otherwise nobody is
  found or hired by it (:class:`SSOEmailNotVerified`). A superuser is never found by
  email (:class:`SSOSuperuserByEmail`): the break-glass account keeps its password, and
  an account already linked to them still signs them in;
- someone unknown is hired when ``SSO_AUTO_CREATE`` allows it, else refused
  (:class:`SSONotOnRoster`);
- their name, department, title, employee id and manager follow the claims the provider
  sends (``SSO_CLAIMS``: which claim or attribute carries each); a field it does not send
  is left alone, and a value Plaudit refuses (too long, a manager unknown or gone, an
  employee id someone else has) is skipped, and logged, rather than refusing the sign-in;
- their role follows their groups (:class:`GroupRoleMapping`, which HR edits): the
  highest role any of them maps to, an employee when none does. Only when the provider
  sends a groups claim and the table has a row: otherwise HR sets roles by hand. A
  superuser stays one, and the company's last HR admin is not demoted by a sign-in.

The provider acts as the operator would (``actor=None``): the operator trusted it by
configuring it.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core.errors import DomainError, InvalidInput

from . import services
from .models import GroupRoleMapping, User
from .roles import Role

logger = logging.getLogger(__name__)

# The fields a claim can set, in the order a person's record shows them.
PROFILE_FIELDS = ("first_name", "last_name", "department", "title", "employee_id", "manager")
# Highest first: someone in an "HR" group and a "Managers" group is an HR admin.
# Sent when HR changes what groups give (``actor``, ``groups``: the names concerned), so a
# door that knows people's groups already (SCIM) can apply the new table at once; a
# single sign-on applies it at each person's next sign-in.
group_roles_changed = Signal()

ROLE_RANK = {Role.HR_ADMIN: 3, Role.MANAGER: 2, Role.EMPLOYEE: 1}


class SSOPersonInactive(DomainError):
    code = "sso_person_inactive"
    status = 403
    title = _("Account deactivated")
    default_detail = _("Your Plaudit account has been deactivated. Ask HR if this is a mistake.")


class SSONotOnRoster(DomainError):
    code = "sso_not_on_roster"
    status = 403
    title = _("Not on the roster")
    default_detail = _(
        "Your company's sign-in worked, but you are not on Plaudit's roster yet. Ask HR to add you."
    )


class SSONoEmail(DomainError):
    code = "sso_no_email"
    status = 403
    title = _("No email address")
    default_detail = _(
        "Your company's sign-in did not say your email address, so Plaudit cannot tell who "
        "you are. Ask your IT team to release the email claim to Plaudit."
    )


class SSOEmailNotVerified(DomainError):
    code = "sso_email_not_verified"
    status = 403
    title = _("Email address not verified")
    default_detail = _(
        "Your company's sign-in did not confirm that your email address is verified, so "
        "Plaudit cannot tell who you are. Ask your IT team to verify your address."
    )


class SSOSuperuserByEmail(DomainError):
    code = "sso_superuser_by_email"
    status = 403
    title = _("Sign in with your password")
    default_detail = _(
        "This account is not signed in to through single sign-on. Sign in with its password."
    )


def _says_yes(values: list[str]) -> bool:
    return bool(values) and values[0].lower() in {"true", "1", "yes"}


class SSOOnly(DomainError):
    """``SSO_ONLY``: a passkey, another provider (Google, GitHub) or a code by email tried
    to sign in someone who is not a superuser."""

    code = "sso_only"
    status = 403
    title = _("Single sign-on only")
    default_detail = _(
        "Your company signs you in to Plaudit: use its single sign-on on the sign-in page."
    )


@dataclass(frozen=True)
class Claims:
    """What the provider said about someone, in Plaudit's terms."""

    email: str
    profile: dict[str, str] = field(default_factory=dict)
    # None: the provider sent no groups claim at all (roles are then HR's to set by hand).
    groups: list[str] | None = None
    # Whether the provider vouches for ``email``: only then is anyone found or hired by it.
    email_verified: bool = False


def _values(raw: Mapping[str, Any], names: Iterable[str]) -> list[str] | None:
    """The first of ``names`` present in ``raw``, as a list of strings (SAML attributes are
    lists; OpenID Connect claims are a string or a list)."""
    for name in names:
        if name in raw and raw[name] is not None:
            value = raw[name]
            values = value if isinstance(value, list | tuple) else [value]
            return [str(v).strip() for v in values if v is not None and str(v).strip()]
    return None


def claims_from(
    raw: Mapping[str, Any], *, email: str | None = None, email_trusted: bool = False
) -> Claims:
    """Plaudit's :class:`Claims` from the provider's raw claims or attributes, read through
    ``settings.SSO_CLAIMS``; ``email``: the one allauth found (a SAML NameID) if none is.

    The email is verified when an ``email_verified`` claim says so, or, with
    ``email_trusted`` (SAML and ``SSO_SAML_EMAIL_VERIFIED``), when no such claim says not.
    """
    names = settings.SSO_CLAIMS

    def first(name: str) -> str:
        values = _values(raw, names.get(name, ()))
        return values[0] if values else ""

    address = first("email") or (email or "")
    if not address:
        raise SSONoEmail()
    profile = {name: first(name) for name in PROFILE_FIELDS}
    if not profile["first_name"] and not profile["last_name"] and first("name"):
        given, _space, family = first("name").partition(" ")
        profile["first_name"], profile["last_name"] = given, family
    profile = {name: value for name, value in profile.items() if value}
    verified = _values(raw, ("email_verified",))
    return Claims(
        email=address.strip(),
        profile=profile,
        groups=_values(raw, names.get("groups", ())),
        email_verified=email_trusted if verified is None else _says_yes(verified),
    )


def role_for_groups(groups: list[str] | None) -> str | None:
    """The highest role ``groups`` map to; an employee when none maps; ``None`` (leave the
    role as it is) when the provider sent no groups or HR has mapped none."""
    if groups is None or not GroupRoleMapping.objects.exists():
        return None
    wanted = {group.lower() for group in groups}
    roles = GroupRoleMapping.objects.annotate(lower=Lower("group")).filter(lower__in=wanted)
    return max((m.role for m in roles), key=lambda r: ROLE_RANK[Role(r)], default=Role.EMPLOYEE)


def _manager(reference: str) -> User | None:
    """The manager the claim names, by email or employee id; ``None`` if unknown or gone."""
    found = (
        services.people_with_email(reference).first()
        or User.objects.filter(employee_id=reference).first()
    )
    if found is None or not found.is_active:
        logger.warning("SSO: manager %r not found among active people; left unset", reference)
        return None
    return found


def _values_for_person(claims: Claims) -> dict[str, Any]:
    values: dict[str, Any] = dict(claims.profile)
    if "manager" in values:
        manager = _manager(values["manager"])
        if manager is None:
            del values["manager"]
        else:
            values["manager"] = manager
    return values


def _retrying_without_refused_fields(write: Callable[..., User], values: dict[str, Any]) -> User:
    """``write(**values)``, dropping each optional field Plaudit refuses (and logging it),
    so a value out of bounds does not keep someone out."""
    while True:
        try:
            return write(**values)
        except DomainError as exc:
            if exc.field in values and exc.field in (*PROFILE_FIELDS, "role"):
                logger.warning("SSO: %s refused (%s); left unchanged", exc.field, exc.detail)
                del values[exc.field]
                continue
            raise


def sign_in(*, person: User | None, claims: Claims) -> User:
    """The person who signs in with ``claims``, hired or brought up to date; refuses one
    deactivated, or unknown when ``SSO_AUTO_CREATE`` is off.

    ``person``: the one the provider's account is already linked to, if any.
    """
    if person is None:
        if not claims.email_verified:
            record(
                audit.SSO_SIGN_IN_REFUSED, actor=None, email=claims.email, reason="email_unverified"
            )
            raise SSOEmailNotVerified()
        person = services.people_with_email(claims.email).first()
        if person is not None and person.is_superuser:
            record(audit.SSO_SIGN_IN_REFUSED, actor=None, target=person, reason="superuser")
            raise SSOSuperuserByEmail()
    if person is not None and not person.is_active:
        record(audit.SSO_SIGN_IN_REFUSED, actor=None, target=person, reason="inactive")
        raise SSOPersonInactive()
    role = role_for_groups(claims.groups)
    values = _values_for_person(claims)
    if person is None:
        if not settings.SSO_AUTO_CREATE:
            record(
                audit.SSO_SIGN_IN_REFUSED, actor=None, email=claims.email, reason="not_on_roster"
            )
            raise SSONotOnRoster()
        if role is not None:
            values["role"] = role
        logger.info("SSO: hiring %s at first sign-in", claims.email)

        def hire(**fields: Any) -> User:
            return services.create_person(actor=None, email=claims.email, **fields)

        return _retrying_without_refused_fields(hire, values)
    changes = {name: value for name, value in values.items() if _differs(person, name, value)}
    if role is not None and role != person.role:
        changes["role"] = role
    if not changes:
        return person

    def change(**fields: Any) -> User:
        return services.update_person(person, actor=None, **fields)

    return _retrying_without_refused_fields(change, changes)


def _differs(person: User, name: str, value: Any) -> bool:
    if name == "department":
        current = person.department.name if person.department else ""
        return current.lower() != str(value).lower()
    if name == "manager":
        return person.manager_id != value.pk
    return bool(getattr(person, name) != value)


# --- The group-to-role table HR edits (every door: the admin, and any other) ---------------


def set_group_role(
    *, actor: User | None, group: str, role: str, mapping: GroupRoleMapping | None = None
) -> GroupRoleMapping:
    """Map the IdP's ``group`` to ``role`` (HR's: an HR admin, or the operator); ``mapping``:
    the row being changed, else a new one. Takes effect at each person's next sign-in,
    and at once for the members of SCIM groups by that name."""
    services.check_can_manage_people(actor)
    group = group.strip()
    if not group:
        raise InvalidInput(_("Name the group as the identity provider sends it."), field="group")
    if role not in Role.values:
        raise InvalidInput(_("Choose one of Plaudit's roles."), field="role")
    clash = GroupRoleMapping.objects.filter(group__iexact=group)
    if mapping is not None and mapping.pk is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        raise InvalidInput(
            _("This group already has a role (letter case is ignored)."), field="group"
        )
    row = mapping or GroupRoleMapping()
    # The name it had (the admin's form may have set the new one on ``mapping`` already).
    before = GroupRoleMapping.objects.filter(pk=row.pk).values_list("group", flat=True).first()
    row.group, row.role = group, role
    # One step with what follows from it (SCIM members' roles): a refusal there (the
    # company's last HR admin) leaves the table as it was.
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # the same group, mapped a moment ago by another door
            raise InvalidInput(
                _("This group already has a role (letter case is ignored)."), field="group"
            ) from exc
        group_roles_changed.send(sender=GroupRoleMapping, actor=actor, groups=[before or "", group])
        record(audit.SSO_GROUP_ROLE_SET, actor=actor, target=row, group=group, role=role)
    logger.info("SSO: group %r now gives the role %s", group, role)
    return row


def remove_group_role(*, actor: User | None, mapping: GroupRoleMapping) -> None:
    """The group gives no role any more (its members become employees at their next
    sign-in, or at once for SCIM groups by that name, unless another of their groups maps
    to a role)."""
    services.check_can_manage_people(actor)
    group = mapping.group
    with transaction.atomic():
        record(
            audit.SSO_GROUP_ROLE_REMOVED,
            actor=actor,
            target=mapping,
            group=mapping.group,
            role=mapping.role,
        )
        mapping.delete()
        group_roles_changed.send(sender=GroupRoleMapping, actor=actor, groups=[group])
    logger.info("SSO: group %r no longer gives a role", group)
