"""What SCIM provisioning keeps beside the roster: the identity provider's own id for
each person, which people it removed, and its groups with the role each one gives.

A person is a SCIM User whether or not they have a :class:`ScimIdentity` row: people
hired before provisioning began are found by ``userName``, which is their email until
the provider says otherwise, as Entra ID and Okta look for them before creating
anyone. The row appears at the first SCIM write.

Groups are the identity provider's, with their members. What a group gives is not
kept here: its display name goes through the same group-to-role table as a single
sign-on's groups claim (:class:`~plaudit.people.models.GroupRoleMapping`, which HR edits
on the "Groups and roles" page). A member's role is the highest their groups' names map
to (an employee when none maps), set through the people services whenever their
membership changes or HR changes the table.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXTERNAL_ID_MAX_LENGTH = 255
USER_NAME_MAX_LENGTH = 255
GROUP_NAME_MAX_LENGTH = 255


class ScimIdentity(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="scim_identity",
    )
    # The provider's sign-in name for the person (Entra's userPrincipalName, Okta's
    # login); blank: their email, as for people hired before provisioning began.
    user_name = models.CharField(_("user name"), max_length=USER_NAME_MAX_LENGTH, blank=True)
    # The identity provider's id for the person (Entra's objectId, Okta's user id).
    external_id = models.CharField(
        _("external id"), max_length=EXTERNAL_ID_MAX_LENGTH, blank=True, db_index=True
    )
    # Set by a SCIM DELETE: the person is deactivated and SCIM no longer shows them
    # (RFC 7644 §3.6), though their row and history stay.
    removed_at = models.DateTimeField(_("removed by the identity provider"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed through SCIM"), default=timezone.now)

    class Meta:
        verbose_name = _("SCIM identity")
        verbose_name_plural = _("SCIM identities")

    def __str__(self) -> str:
        return f"{self.person} ({self.external_id or '-'})"


class ScimGroup(models.Model):
    display_name = models.CharField(_("name"), max_length=GROUP_NAME_MAX_LENGTH, unique=True)
    external_id = models.CharField(
        _("external id"), max_length=EXTERNAL_ID_MAX_LENGTH, blank=True, db_index=True
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="scim_groups",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("SCIM group")
        verbose_name_plural = _("SCIM groups")
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name
