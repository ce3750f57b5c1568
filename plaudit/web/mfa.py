"""Multi-factor authentication in the web app: allauth's ``mfa``, told about Plaudit.

:class:`CompanyMFAAdapter` names the installation after ``PLAUDIT_SITE_NAME`` in
authenticator apps and passkey prompts, gives passkeys a relying party id that does not
depend on the address a request came in on, and keeps authenticator-app secrets
encrypted at rest with Plaudit's own keys.

:class:`RequireMFAMiddleware` sends a person whose role must use MFA
(``PLAUDIT_REQUIRE_MFA_FOR``, :mod:`plaudit.people.mfa`) and has not enrolled to the
enrolment page from every page, the admin included; the API answers them 403.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from plaudit.core.exceptions import PROBLEM_CONTENT_TYPE, problem_body
from plaudit.core.site import current_site, site_url
from plaudit.people.errors import MFARequired
from plaudit.people.mfa import decrypt_secret, encrypt_secret, lacks_required_mfa


class CompanyMFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        return current_site().name

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        """A passkey is bound to this id: ``MFA_WEBAUTHN_RP_ID``, else PLAUDIT_SITE_URL's host."""
        rp_id = settings.MFA_WEBAUTHN_RP_ID or urlsplit(site_url()).hostname or "localhost"
        return {"id": rp_id, "name": current_site().name}

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


def enrolment_allowed_paths() -> tuple[str, ...]:
    """What a person who must enrol may still reach: enrolment, signing out, assets."""
    return (
        reverse("mfa_index"),  # /accounts/2fa/: the app, passkeys, recovery codes
        reverse("account_logout"),
        reverse("account_reauthenticate"),  # allauth asks again before adding a factor
        reverse("set_language"),
        reverse("web:jsi18n"),
        reverse("web:manifest"),
        reverse("web:favicon"),
        reverse("health"),
        settings.STATIC_URL or "/static/",
    )


class RequireMFAMiddleware:
    """After authentication: a person who must use MFA and has none reaches only enrolment.

    Pages (the admin included) redirect to ``/accounts/2fa/``, which says why; the API,
    reached with the session, answers a 403 problem document (``mfa_required``). A JWT's
    person is refused by the token authentication itself, which this middleware never sees.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: reading request.user loads the session and the person, which a
        # health probe must not pay for.
        user: Any = getattr(request, "user", None)
        if (
            not request.path.startswith(enrolment_allowed_paths())
            and user is not None
            and user.is_authenticated
            and lacks_required_mfa(user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            error = MFARequired()
            body = problem_body(
                status_code=error.status, code=error.code, detail=error.detail, title=error.title
            )
            return JsonResponse(body, status=error.status, content_type=PROBLEM_CONTENT_TYPE)
        return HttpResponseRedirect(reverse("mfa_index"))
