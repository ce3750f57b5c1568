"""``Authorization: Bearer plaudit_<prefix>_<secret>``: API tokens next to JWT.

Listed before the JWT class; a bearer value without the ``plaudit_`` prefix is not ours
and is left to JWT (which would otherwise refuse it as a malformed JWT). Ours is checked
completely: an unknown, revoked or expired token, or one whose owner was deactivated,
is a 401 problem; one whose owner must enrol in MFA first (``PLAUDIT_REQUIRE_MFA_FOR``)
a 403 ``mfa_required``; a token without the scope the view asks for (see :mod:`.scopes`) is
a 403 ``insufficient_scope``. The request's user is the token's owner, so every role
check and service rule applies as if they had signed in: a token never grants more
than its owner's role.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from plaudit.people.localisation import activate_for
from plaudit.people.mfa import check_required_mfa
from plaudit.people.models import User

from .models import ApiToken
from .scopes import required_scope
from .services import TOKEN_PREFIX, note_use, parse, secret_matches

KEYWORD = b"bearer"


class InvalidApiToken(exceptions.AuthenticationFailed):
    default_detail = _("This API token is not valid.")
    default_code = "token_not_valid"


class ApiTokenRevoked(exceptions.AuthenticationFailed):
    default_detail = _("This API token was revoked.")
    default_code = "token_revoked"


class ApiTokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("This API token has expired.")
    default_code = "token_expired"


class InsufficientScope(exceptions.PermissionDenied):
    default_detail = _("This API token does not have the scope this request needs.")
    default_code = "insufficient_scope"


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != KEYWORD:
            return None
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            return None
        if not raw.startswith(TOKEN_PREFIX):
            return None  # a JWT: the next class's
        token = _usable_token(raw)
        # As for a JWT: while the owner's role must use MFA and they have not enrolled,
        # their tokens are refused (403, problem "mfa_required").
        check_required_mfa(token.owner)
        view = (request.parser_context or {}).get("view")
        scope = required_scope(view, request.method or "GET")
        if scope is None or not token.has_scope(scope):
            raise InsufficientScope()
        note_use(token, _address_of(request))
        activate_for(request._request, token.owner)
        return token.owner, token

    def authenticate_header(self, request: Request) -> str:
        # The same challenge as JWT's: either kind of bearer token answers it.
        return 'Bearer realm="api"'


def _usable_token(raw: str) -> ApiToken:
    parsed = parse(raw)
    if parsed is None:
        raise InvalidApiToken()
    prefix, secret = parsed
    token = (
        ApiToken.objects.select_related("owner", "owner__department").filter(prefix=prefix).first()
    )
    if token is None or not secret_matches(token, secret):
        raise InvalidApiToken()
    if token.is_revoked:
        raise ApiTokenRevoked()
    if token.is_expired():
        raise ApiTokenExpired()
    if not token.owner.is_active:
        raise InvalidApiToken()
    return token


def _address_of(request: Request) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request._request) or None


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's ``apiToken``: a bearer token made on the tokens page."""

    target_class = "plaudit.tokens.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "`Authorization: Bearer plaudit_<prefix>_<secret>`, an API token created "
                "on the API tokens page or with POST /api/v1/tokens/. Each token carries "
                "scopes (read, kudos:write, redemptions:write, people:admin, scim) and "
                "never grants more than its owner's role."
            ),
        }
