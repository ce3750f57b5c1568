from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "plaudit.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the authentication cache true)
        from .access import grant_hr_admin_permissions
        from .localisation import remember_before_request, reset_after_request

        # The HR admins' group holds the admin permissions the role needs (access.py).
        post_migrate.connect(grant_hr_admin_permissions, dispatch_uid="people.hr_admin_group")
        # A person's language and time zone last for their request only (localisation.py).
        request_started.connect(remember_before_request, dispatch_uid="people.remember_locale")
        request_finished.connect(reset_after_request, dispatch_uid="people.reset_locale")
