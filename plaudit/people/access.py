"""Who may use the Django admin, and what they may do there: the role decides.

An HR admin reaches the admin (``is_staff``) and holds the model permissions of one
group, :data:`HR_ADMINS_GROUP`, which this module fills from :data:`HR_ADMIN_PERMISSIONS`
after every ``migrate``. Every people service that sets a role or takes someone's
access away (hiring, a change, deactivation, the employee import's bulk path) ends
with :func:`sync_admin_access`, so the group's members are always the active HR
admins. Losing the role takes away what it gave: the group, and ``is_staff`` (a
superuser keeps theirs).

The admin's own checks stay: :class:`plaudit.core.admin_site.PlauditAdminSite` lets
only HR admins and staff managers in, and each model admin refuses what its rows may
never do (ledger lines are append-only; people are deactivated, never deleted), so a
permission listed here never opens a door the services keep shut.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .cache import forget_cached_people
from .models import User
from .roles import is_active_hr_admin

HR_ADMINS_GROUP = "HR admins"

# What HR does in the admin, model by model. Ledger lines, kudos and stored answers are
# written by code only: view. Secrets are the operator's (SSO apps' client secrets,
# people's OAuth tokens): not listed, so HR never sees them.
HR_ADMIN_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "people.user": ("view", "add", "change"),
    "people.department": ("view", "add", "change"),
    "people.grouprolemapping": ("view", "add", "change", "delete"),  # groups to roles: SSO, SCIM
    "auth.group": ("view",),
    "core.idempotencykey": ("view",),
    "ledger.account": ("view",),
    "ledger.transaction": ("view",),
    "ledger.entry": ("view",),
    "rewards.reward": ("view", "add", "change"),
    "rewards.redemption": ("view",),  # approving and rejecting are actions on the list
    "events.outboxevent": ("view",),
    "events.notification": ("view",),
    "events.notificationpreference": ("view",),
    "events.webhookendpoint": ("view",),
    "events.webhookdelivery": ("view",),
    "recognition.companyvalue": ("view", "add", "change"),
    "scim.scimgroup": ("view",),  # the provider's groups (roles: people.grouprolemapping)
    "scim.scimidentity": ("view",),
    "recognition.recognition": ("view",),
    "recognition.award": ("view",),
    "recognition.addon": ("view",),
    "recognition.reaction": ("view",),
    "recognition.comment": ("view", "delete"),  # moderation, through the service
    "recognition.celebrationmilestone": ("view", "add", "change", "delete"),
    "imports.importjob": ("view",),
    "account.emailaddress": ("view",),
    "socialaccount.socialaccount": ("view",),
    "axes.accessattempt": ("view", "delete"),  # deleting an attempt unlocks the person
    "axes.accesslog": ("view",),
    "axes.accessfailurelog": ("view",),
    "audit.auditevent": ("view",),  # append-only: nobody adds, changes or deletes
    # Chat: what was sent and what waits, read-only; linking a chat user to a person by
    # hand is HR's (Teams gives no email address), as changing a person's email is.
    "chat.linkedaccount": ("view", "add", "change", "delete"),
    "chat.receipt": ("view",),
    "chat.chatdelivery": ("view",),
    "chat.chatpost": ("view",),
}
# Registered in the admin, and deliberately not HR's (the operator's, as a superuser).
# Authenticators: an HR admin could otherwise strip another's second factor; a superuser
# resets a locked-out person's (or ``manage.py reset_mfa``). A chat workspace holds the bot
# token and signing secret, and its server address (Mattermost's API URL) is where the
# token is sent: whoever may change it could send the token elsewhere, and a view-only
# admin page would show the secrets decrypted.
OPERATOR_ONLY_MODELS = frozenset(
    {"socialaccount.socialapp", "socialaccount.socialtoken", "mfa.authenticator", "chat.workspace"}
)


def holds_hr_admin_access(person: User) -> bool:
    """Whether the role gives ``person`` the admin: an active HR admin (or superuser)."""
    return is_active_hr_admin(
        is_active=person.is_active, is_superuser=person.is_superuser, role=person.role
    )


def hr_admin_permissions() -> Q:
    """The permissions :data:`HR_ADMIN_PERMISSIONS` names, as a filter on ``Permission``."""
    wanted = Q(pk__in=[])
    for label, actions in HR_ADMIN_PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return wanted


def hr_admins_group() -> Group:
    """The group, with its permissions when it is new (``migrate`` keeps them current)."""
    group, created = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(hr_admin_permissions()))
    return group


def grant_hr_admin_permissions(*, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: the group holds exactly the permissions listed here (a
    ``post_migrate`` receiver; permissions of apps migrated later come on their turn)."""
    group, _ = Group.objects.using(using).get_or_create(name=HR_ADMINS_GROUP)
    group.permissions.set(Permission.objects.using(using).filter(hr_admin_permissions()))


def sync_admin_access(people: Iterable[User]) -> None:
    """Bring each person's admin access in step with their role, as saved.

    Active HR admins join the group and get ``is_staff``; anyone else in the group
    leaves it and loses ``is_staff`` unless they are a superuser. ``people`` are
    updated in place. The caller has saved their role and ``is_active``.
    """
    people = list(people)
    if not people:
        return
    group = hr_admins_group()
    members = set(
        group.user_set.filter(pk__in=[person.pk for person in people]).values_list("pk", flat=True)
    )
    joining = [p for p in people if holds_hr_admin_access(p) and p.pk not in members]
    leaving = [p for p in people if not holds_hr_admin_access(p) and p.pk in members]
    unstaffed = [p for p in people if holds_hr_admin_access(p) and not p.is_staff]
    losing_staff = [p for p in leaving if p.is_staff and not p.is_superuser]
    if joining:
        group.user_set.add(*joining)
    if leaving:
        group.user_set.remove(*leaving)
    for staff, persons in ((True, unstaffed), (False, losing_staff)):
        if persons:
            User.objects.filter(pk__in=[p.pk for p in persons]).update(is_staff=staff)
            for person in persons:
                person.is_staff = staff
    forget_cached_people({p.pk for p in [*joining, *leaving, *unstaffed]})
