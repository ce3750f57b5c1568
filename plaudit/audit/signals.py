"""Sign-ins, sign-outs and failed sign-ins, from Django's own auth signals.

Every web sign-in (password, Google, GitHub, SSO: allauth calls ``django.contrib.auth
.login``) sends ``user_logged_in``; every failed password check (web, admin, the API's
token endpoint, whose backend django-axes wraps) sends ``user_login_failed`` with the
credentials Django has already stripped of the password. The API's JWT sign-in records
its own success (:class:`plaudit.people.views.TokenView`): it opens no session.
"""

from typing import Any

from . import actions
from .services import record

EMAIL_KEPT = 254


def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    backend = getattr(user, "backend", "") or ""
    record(actions.SIGN_IN, actor=user, target=user, request=request, via="web", backend=backend)


def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(actions.SIGN_OUT, actor=user, target=user, request=request)


def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    attempted = credentials.get("email") or credentials.get("username") or ""
    record(actions.SIGN_IN_FAILED, actor=None, request=request, email=str(attempted)[:EMAIL_KEPT])


def record_failed_second_factor(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    """allauth's ``authentication_failed``: a wrong authenticator-app or recovery code on
    the web (signing in, or asked again). The row names the person whose password was
    given (whoever typed the code), so their failures can be read together."""
    if user is not None:
        record(actions.MFA_CODE_FAILED, actor=user, target=user, request=request, via="web")
