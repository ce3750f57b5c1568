"""Who may open which page, using the same role predicates as the API's permissions."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from plaudit.people.roles import is_hr_admin, is_manager

RoleCheck = Callable[[Any], bool]


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous visitors go to sign-in; signed-in people without the role get a 403 page."""

    role_check: RoleCheck

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not type(self).role_check(request.user):
            raise PermissionDenied("This page is for another role.")
        return super().dispatch(request, *args, **kwargs)


class ManagerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(is_manager)


class HRAdminRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(is_hr_admin)


def role_required(check: RoleCheck) -> Callable[[Callable[..., HttpResponse]], Any]:
    """The function-view twin of :class:`RoleRequiredMixin`."""

    def decorate(view: Callable[..., HttpResponse]) -> Any:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("This page is for another role.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
