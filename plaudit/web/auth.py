"""Sign-in policy for the web app: the roster is the guest list.

People are created by HR (API, admin or CSV import), never by signing up, so both
allauth adapters close sign-up; social sign-in only attaches to an existing person
with the same verified email. Single sign-on through the company's identity provider
(OpenID Connect, SAML) is the exception: it may hire people just in time and keeps them
up to date (plaudit.people.sso). django-axes counts failures per (email, address).
"""

import logging
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from rest_framework.request import Request

from plaudit.core.errors import DomainError
from plaudit.core.exceptions import PROBLEM_CONTENT_TYPE, problem_body
from plaudit.core.site import absolute_url, current_site
from plaudit.people import sso
from plaudit.people.errors import SignInLockedOut
from plaudit.people.models import User

logger = logging.getLogger(__name__)


class CompanyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """With ``SSO_ONLY``, only the company's provider signs in anyone but a superuser:
        not a passkey, Google or GitHub, nor a code by email (passwords are refused before,
        by :class:`SingleSignOnOnlyBackend`)."""
        if settings.SSO_ONLY and not user.is_superuser:
            sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
            if sociallogin is None or not is_single_sign_on(sociallogin):
                from allauth.account.internal.stagekit import clear_login

                clear_login(request)
                logger.warning("Sign-in refused to person %s: SSO_ONLY", user.pk)
                return sso_refused(request, sso.SSOOnly())
        return super().pre_login(request, user, **kwargs)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Passwords are django-axes's to limit (SignInAttemptsBackend); allauth's own
        "login_failed" limit is left to the second factor (see ACCOUNT_RATE_LIMITS)."""

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


# The company's own identity provider (single sign-on): its sign-ins go through
# plaudit.people.sso, which may hire people (SSO_AUTO_CREATE) and keeps them up to date.
SSO_PROVIDERS = frozenset({"openid_connect", "saml"})
# python3-saml's checks no SAML app may turn off (see docs/operations.md).
SAML_ENFORCED = {"strict": True, "want_assertion_signed": True, "reject_deprecated_algorithm": True}


def sso_refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The page saying why a sign-in was refused, with the way back to the sign-in page."""
    return render(
        request,
        "socialaccount/sso_refused.html",
        {"title": error.title, "detail": error.detail},
        status=error.status,
    )


def is_single_sign_on(sociallogin: Any) -> bool:
    return bool(sociallogin.provider.id in SSO_PROVIDERS)


def raw_claims(sociallogin: Any) -> dict[str, Any]:
    """The provider's claims (OpenID Connect: the ID token's, then the userinfo's over
    them) or attributes (SAML: name → list of values)."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == "openid_connect" and ("userinfo" in data or "id_token" in data):
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return dict(data)


def email_trusted(sociallogin: Any) -> bool:
    """Whether the provider's email counts as verified when it sends no ``email_verified``:
    a SAML IdP's with ``SSO_SAML_EMAIL_VERIFIED`` (SAML has no such claim), an OpenID
    Connect provider's with ``SSO_OIDC_EMAIL_VERIFIED`` (for one that never sends it)."""
    if sociallogin.provider.id == "saml":
        return bool(settings.SSO_SAML_EMAIL_VERIFIED)
    return bool(settings.SSO_OIDC_EMAIL_VERIFIED)


class CompanySocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> Any:
        """Every SAML app, the environment's or one added in the admin, refuses unsigned
        assertions and checks each one strictly (audience, destination, validity window)."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if app.provider == "saml":
                settings_ = dict(app.settings or {})
                settings_["advanced"] = {**settings_.get("advanced", {}), **SAML_ENFORCED}
                app.settings = settings_
        return apps

    def can_authenticate_by_email(self, login: Any, email: str) -> bool:
        """Single sign-on finds people by email itself (:meth:`pre_social_login`), keeping
        their password (the break-glass superuser's, say); allauth would wipe it."""
        if is_single_sign_on(login):
            return False
        if User.objects.filter(email__iexact=email, is_superuser=True).exists():
            return False  # a superuser is never found by email: they keep their password
        return super().can_authenticate_by_email(login, email)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """A single sign-on: the person it names, hired or brought up to date through the
        people services (:func:`plaudit.people.sso.sign_in`), or a page saying why not."""
        super().pre_social_login(request, sociallogin)
        if not is_single_sign_on(sociallogin):
            return
        known = sociallogin.user if sociallogin.is_existing else None
        try:
            claims = sso.claims_from(
                raw_claims(sociallogin),
                email=sociallogin.user.email,
                email_trusted=email_trusted(sociallogin),
            )
            person = sso.sign_in(person=known, claims=claims)
        except DomainError as exc:
            logger.warning(
                "SSO sign-in through %s refused: %s", sociallogin.account.provider, exc.code
            )
            raise ImmediateHttpResponse(sso_refused(request, exc)) from exc
        if known is None:
            sociallogin.connect(request, person)
        else:
            sociallogin.user = person


class SingleSignOnOnlyBackend:
    """With ``SSO_ONLY`` on, refuse every password sign-in (the web's and the API's) but a
    superuser's: the break-glass account for when the identity provider is down.

    It only refuses (``PermissionDenied`` stops Django's ``authenticate()``); the backends
    after it check the password. Single sign-on never comes here. No ``get_user``: it never
    keeps anyone signed in (``force_login`` would otherwise pick it).
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **credentials: Any) -> None:
        if not settings.SSO_ONLY or credentials.get("password") is None:
            return None
        email = attempted_email(request, credentials)
        if email and User.objects.filter(email__iexact=email, is_superuser=True).exists():
            return None
        raise PermissionDenied("Password sign-in is off (SSO_ONLY).")


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


# Where the big providers' sign-in pages are (their apps name no URL of their own).
KNOWN_PROVIDER_ORIGINS = {
    "google": "https://accounts.google.com",
    "github": "https://github.com",
}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def provider_origins(request: HttpRequest) -> list[str]:
    """The origins of the sign-in pages of every provider configured (environment or admin)."""
    from allauth.socialaccount.adapter import get_adapter

    origins: set[str | None] = set()
    for app in get_adapter().list_apps(request):
        settings_ = app.settings or {}
        if app.provider == "openid_connect":
            origins.add(_origin(settings_.get("server_url", "")))
        elif app.provider == "saml":
            idp = settings_.get("idp", {})
            origins.add(_origin(idp.get("sso_url") or idp.get("metadata_url") or ""))
        else:
            origins.add(KNOWN_PROVIDER_ORIGINS.get(app.provider))
    return sorted(origin for origin in origins if origin)


class SignInFormActions:
    """Let the sign-in pages' forms lead to the identity providers.

    A "Sign in with …" button posts to Plaudit, which redirects to the provider; browsers
    hold that redirect to the page's ``form-action`` policy ('self'), so the pages under
    /accounts/ add the origins of the providers configured (:func:`provider_origins`).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if request.path.startswith("/accounts/") and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            origins = provider_origins(request)
            if origins:
                response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response
