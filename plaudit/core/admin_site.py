"""The Django admin, open only to staff who hold a role that needs it.

``is_staff`` alone is not enough: the admin shows salaries and every redemption,
so it takes an HR admin (or a superuser), or a manager whom HR made staff and
gave model permissions to. Everyone's ``admin.site.register`` lands here, because
``PlauditAdminConfig`` makes this class the default site.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from plaudit.people.roles import Role, is_hr_admin


class PlauditAdminSite(admin.AdminSite):
    site_header = _("Plaudit admin")
    site_title = _("Plaudit admin")
    index_title = _("Recognition, points and rewards")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (is_hr_admin(user) or getattr(user, "role", None) == Role.MANAGER)
        )
