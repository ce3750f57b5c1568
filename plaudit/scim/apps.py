from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScimConfig(AppConfig):
    name = "plaudit.scim"
    label = "scim"
    verbose_name = _("SCIM provisioning")

    def ready(self) -> None:
        from plaudit.people.sso import group_roles_changed

        group_roles_changed.connect(_apply_group_roles, dispatch_uid="scim-group-roles")


def _apply_group_roles(sender: Any, *, actor: Any, groups: list[str], **kwargs: Any) -> None:
    """HR changed the group-to-role table: SCIM groups' members follow it at once."""
    from .services import sync_roles_for_group_names

    sync_roles_for_group_names(actor, groups)
