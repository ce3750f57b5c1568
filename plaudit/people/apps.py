from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "plaudit.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the authentication cache true)
        from .access import grant_hr_admin_permissions

        # The HR admins' group holds the admin permissions the role needs (access.py).
        post_migrate.connect(grant_hr_admin_permissions, dispatch_uid="people.hr_admin_group")
