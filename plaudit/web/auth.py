"""Sign-in policy for the web app: the roster is the guest list.

People are created by HR (API, admin or CSV import), never by signing up, so both
allauth adapters close sign-up; social sign-in only attaches to an existing person
with the same verified email. django-axes counts failures per (email, address).
"""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from rest_framework.request import Request

from plaudit.core.exceptions import PROBLEM_CONTENT_TYPE, problem_body
from plaudit.core.site import absolute_url, current_site
from plaudit.people.errors import SignInLockedOut


class CompanyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    # allauth names the site after django.contrib.sites, or without it after the
    # request's host ("Hello from 127.0.0.1:8765!"): its emails take Plaudit's own
    # name and address instead (PLAUDIT_SITE_NAME, PLAUDIT_SITE_URL).
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": current_site()})

    def format_email_subject(self, subject: str) -> str:
        return f"[{current_site().name}] {force_str(subject)}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The link in a password-reset email, on the site's address, not the request's."""
        return absolute_url(urlsplit(super().get_reset_password_from_key_url(key)).path)


class CompanySocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False


class SignInAttemptsBackend(AxesStandaloneBackend):
    """axes' lockout check for sign-ins that come over HTTP.

    ``authenticate()`` without a request (a shell, a script, the test client's
    ``login()``) has no address to count, so it is left to the password check.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def attempted_email(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The address being tried, whichever form sent it (allauth: ``login``, API: ``email``)."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for field in ("email", "login", "username"):
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return None


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None, *args: Any
) -> HttpResponse:
    """Too many failed sign-ins: a problem document for the API, a page for people."""
    detail = SignInLockedOut.default_detail
    if request.path.startswith("/api/"):
        body = problem_body(status_code=429, code=SignInLockedOut.code, detail=detail)
        return JsonResponse(body, status=429, content_type=PROBLEM_CONTENT_TYPE)
    return render(request, "account/locked_out.html", {"detail": detail}, status=429)


def refuse_locked_out_api_sign_in(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """``user_locked_out`` receiver: inside a DRF view, refuse with a 429 problem document.

    axes marks the Django request, but DRF's token view authenticates with its own
    ``Request`` wrapper and would answer a plain 401; raising lets the API's one
    exception handler say what happened.
    """
    if isinstance(request, Request):
        raise SignInLockedOut()
