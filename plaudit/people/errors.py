"""Why a change to people is refused: the same error, in the same words, at every door."""

from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError, InvalidInput


class InvalidManager(DomainError):
    code = "invalid_manager"
    status = 400
    title = _("Invalid manager")
    default_detail = _("This manager would make the reporting line loop back on itself.")
    field = "manager"


class PersonConflict(DomainError):
    """A uniqueness rule the database caught after the checks passed (a concurrent hire)."""

    code = "person_conflict"
    title = _("Person already exists")
    default_detail = _("Another person already has this email or employee id.")


class EmailTaken(InvalidInput):
    default_detail = _("Another person already has this email (emails ignore letter case).")
    field = "email"


class EmployeeIdTaken(InvalidInput):
    default_detail = _("Another person already has this employee id.")
    field = "employee_id"


class CannotDeactivateYourself(DomainError):
    code = "cannot_deactivate_yourself"
    title = _("You cannot deactivate yourself")
    default_detail = _(
        "You would lose access at once, and possibly the company its last HR admin. "
        "Ask another HR admin."
    )


class LastHRAdmin(DomainError):
    """The company would be left without an active HR admin, so nobody could fix it."""

    code = "last_hr_admin"
    title = _("The company's last HR admin")
    default_detail = _(
        "This is the company's last active HR admin: make someone else an HR admin first."
    )


class SignInLockedOut(DomainError):
    code = "locked_out"
    status = 429
    title = _("Too many sign-in attempts")
    default_detail = _("Too many failed sign-in attempts. Wait a few minutes, then try again.")


class MFARequired(DomainError):
    """A person whose role must use MFA (``PLAUDIT_REQUIRE_MFA_FOR``) has not enrolled."""

    code = "mfa_required"
    status = 403
    title = _("Multi-factor authentication required")
    default_detail = _(
        "Your role must use multi-factor authentication. Sign in to the web app and add an "
        "authenticator app or a passkey first."
    )


class MFACodeRequired(DomainError):
    """A token asked for with a password alone by a person who protects their account."""

    code = "mfa_code_required"
    status = 401
    title = _("Authenticator code required")
    default_detail = _(
        "This account uses multi-factor authentication: send the code from your "
        'authenticator app, or one of your recovery codes, in the "code" field.'
    )
    field = "code"


class MFACodeIncorrect(DomainError):
    code = "mfa_code_incorrect"
    status = 401
    title = _("Incorrect authenticator code")
    default_detail = _("The authenticator code or recovery code is incorrect.")
    field = "code"
