"""Role checks on a route, as DRF permission classes: a coarse gate, nothing more.

Who may *do* something to an object is decided by the service that does it (it
raises ``NotAllowed``, a 403), so every door gives the same answer; who may *see*
which row lives in each app's selectors (``visible_to(user)``), so an object the
caller may not see is a 404, never a 403.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from plaudit.people.roles import is_hr_admin, is_manager


class IsHRAdmin(BasePermission):
    message = _("Only HR admins may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_hr_admin(request.user)


class IsHRAdminOrReadOnly(BasePermission):
    message = _("Only HR admins may change this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_hr_admin(request.user)


class IsManagerOrHRAdmin(BasePermission):
    """Team views: people with the manager role, and HR admins."""

    message = _("Only managers and HR admins may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_manager(request.user)
