"""The Django admin, open only to staff who hold a role that needs it.

``is_staff`` alone is not enough: the admin shows salaries and every redemption,
so it takes an HR admin (or a superuser), or a manager whom HR made staff and
gave model permissions to. Everyone's ``admin.site.register`` lands here, because
``PlauditAdminConfig`` makes this class the default site.
"""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from plaudit.people.roles import Role, is_hr_admin


class PlauditAdminSite(admin.AdminSite):
    site_header = _("Plaudit admin")
    site_title = _("Plaudit admin")
    index_title = _("Recognition, points and rewards")

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Signing in is allauth's (``/accounts/login/``): the second factor, SSO, axes.

        Django's own password-only form would let a person with an authenticator app in
        with the password alone, so a visitor is sent to allauth's sign-in instead.
        """
        return secure_admin_login(super().login)(request, extra_context)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (is_hr_admin(user) or getattr(user, "role", None) == Role.MANAGER)
        )
