"""Who must use multi-factor authentication, and the second factor at the API's door.

The authenticators themselves (an authenticator app, passkeys, recovery codes) are
django-allauth's ``allauth.mfa``; this module holds Plaudit's rules about them:

- ``PLAUDIT_REQUIRE_MFA_FOR`` lists the roles that must enrol ("hr_admin": the people
  who grant points and see salaries; a superuser counts as one). Until they do, the web
  app sends them to enrol (:mod:`plaudit.web.mfa`) and the API refuses them
  (problem ``mfa_required``), whether they come with a session or a token.
- A token is never a way around a second factor: whoever has an authenticator app or
  recovery codes sends a current code with their password to obtain one.
"""

import logging
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core import encryption

from .errors import MFACodeIncorrect, MFACodeRequired, MFARequired, SignInLockedOut
from .roles import Role, is_hr_admin

logger = logging.getLogger(__name__)

# Marks a secret Plaudit encrypted (an authenticator app's secret, the seed of recovery
# codes); one stored before, in the clear, still reads.
ENCRYPTED_PREFIX = "fernet:"
# Where allauth keeps each kind's secret in ``Authenticator.data``.
SECRET_FIELDS = {Authenticator.Type.TOTP: "secret", Authenticator.Type.RECOVERY_CODES: "seed"}

# Authenticators whose codes a person can type (a passkey cannot answer over the API).
CODE_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


def roles_that_must_use_mfa() -> set[str]:
    return {str(role).strip() for role in settings.PLAUDIT_REQUIRE_MFA_FOR if str(role).strip()}


def must_use_mfa(user: Any) -> bool:
    """Whether this person's role is one that ``PLAUDIT_REQUIRE_MFA_FOR`` names."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = roles_that_must_use_mfa()
    if not roles:
        return False
    return user.role in roles or (Role.HR_ADMIN in roles and is_hr_admin(user))


def has_authenticator(user: Any) -> bool:
    """An authenticator app or a passkey (recovery codes alone are not a second factor)."""
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    ).exists()


def lacks_required_mfa(user: Any) -> bool:
    """Must use MFA and has not enrolled: the person may do nothing but enrol (or leave)."""
    return must_use_mfa(user) and not has_authenticator(user)


def check_required_mfa(user: Any) -> None:
    """Raises :class:`MFARequired` (403) for a person who must enrol first."""
    if lacks_required_mfa(user):
        raise MFARequired()


def _code_failures_key(user: Any) -> str:
    return f"mfa:code-failures:{user.pk}"


def check_second_factor(user: Any, code: str | None, *, request: Any = None) -> None:
    """A password alone does not obtain a token for a person with a code authenticator.

    Passes for people with none (after :func:`check_required_mfa`); otherwise the code
    must be a current authenticator-app code or an unused recovery code, which is then
    used up (allauth marks both). A person with only passkeys cannot type a code, so
    their password alone is refused too: they enrol an authenticator app for scripts.

    Codes cannot be guessed without limit: after ``MFA_CODE_FAILURES_ALLOWED`` wrong ones
    within ``MFA_CODE_FAILURES_WINDOW`` seconds the person's codes are refused
    (:class:`SignInLockedOut`, 429) until the window has passed; each wrong code is
    written to the audit log. (The web app's count is allauth's, see settings.)
    """
    authenticators = list(Authenticator.objects.filter(user_id=user.pk))
    if not authenticators:
        return
    if not code:
        raise MFACodeRequired()
    key = _code_failures_key(user)
    if (cache.get(key) or 0) >= settings.MFA_CODE_FAILURES_ALLOWED:
        raise SignInLockedOut()
    for authenticator in sorted(
        (a for a in authenticators if a.type in CODE_TYPES),
        key=lambda a: a.type != Authenticator.Type.TOTP,  # the app's code first
    ):
        if authenticator.wrap().validate_code(code.strip()):
            authenticator.record_usage()
            cache.delete(key)
            return
    _count_failure(key)
    record(audit.MFA_CODE_FAILED, actor=user, target=user, request=request, via="api")
    raise MFACodeIncorrect()


def _count_failure(key: str) -> None:
    window = settings.MFA_CODE_FAILURES_WINDOW
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, window)


def reset_second_factors(*, person: Any) -> int:
    """Removes every authenticator of a person who lost theirs (their phone, their key).

    For an operator (``manage.py reset_mfa``) or a superuser (the admin's
    Authenticators), after checking who is asking. The person signs in with their
    password again and, when their role must use MFA, is sent to enrol at once. Returns
    how many authenticators were removed.
    """
    removed, _ = Authenticator.objects.filter(user_id=person.pk).delete()
    logger.warning("Second factors reset for person %s (%s removed)", person.pk, removed)
    return removed


def encrypt_secret(text: str) -> str:
    """With ``PLAUDIT_CODES_KEYS``, as reward codes are (allauth's adapter calls this)."""
    return ENCRYPTED_PREFIX + encryption.encrypt(text)


def decrypt_secret(stored: str) -> str:
    if stored.startswith(ENCRYPTED_PREFIX):
        return encryption.decrypt(stored.removeprefix(ENCRYPTED_PREFIX))
    return stored


def rotate_authenticator_secrets() -> int:
    """Re-encrypt every authenticator-app secret and recovery-code seed with the newest
    key (and encrypt any stored in the clear), so older keys can go."""
    with transaction.atomic():
        authenticators = list(
            Authenticator.objects.select_for_update()
            .filter(type__in=list(SECRET_FIELDS))
            .order_by("pk")
        )
        for authenticator in authenticators:
            field = SECRET_FIELDS[Authenticator.Type(authenticator.type)]
            if stored := authenticator.data.get(field):
                authenticator.data[field] = encrypt_secret(decrypt_secret(stored))
        Authenticator.objects.bulk_update(authenticators, ["data"])
    return len(authenticators)
