"""Role checks, in one place, as DRF permission classes.

Object scoping (who may *see* which row) lives in each app's selectors
(``visible_to(user)``), so an object the caller may not see is a 404, never a 403.
"""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from plaudit.people.roles import is_hr_admin, is_manager, is_manager_of


class IsHRAdmin(BasePermission):
    message = "Only HR admins may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_hr_admin(request.user)


class IsHRAdminForObject(BasePermission):
    """HR admins only, checked on the object: who cannot see it gets a 404, not a 403."""

    message = IsHRAdmin.message

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return is_hr_admin(request.user)


class IsHRAdminOrReadOnly(BasePermission):
    message = "Only HR admins may change this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_hr_admin(request.user)


class IsManagerOrHRAdmin(BasePermission):
    """Team views: people with the manager role, and HR admins."""

    message = "Only managers and HR admins may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_manager(request.user)


class IsManagerOfOwnerOrHRAdmin(BasePermission):
    """For objects owned by a person (``obj.user``): their manager or an HR admin."""

    message = "Only the person's manager or an HR admin may do this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return is_hr_admin(request.user) or is_manager_of(request.user, obj.user)


class IsOwner(BasePermission):
    message = "Only the person who made this may do this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return bool(obj.user_id == request.user.pk)
