"""Why a token cannot be created or revoked: the same answer at every door."""

from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError, InvalidInput, NotAllowed


class UnknownScope(InvalidInput):
    default_detail = _("This scope does not exist.")
    field = "scopes"


class ScopeBeyondRole(NotAllowed):
    code = "scope_beyond_role"
    default_detail = _("Only HR admins may create tokens with the people:admin or scim scope.")


class ServiceTokenNotAllowed(NotAllowed):
    default_detail = _("Only HR admins may create service tokens.")


class NotYourToken(NotAllowed):
    default_detail = _("You may revoke only your own tokens.")


class TokenAlreadyRevoked(DomainError):
    code = "token_revoked"
    title = _("Token already revoked")
    default_detail = _("This token was already revoked.")
