"""Why a change to people is refused: the same error, in the same words, at every door."""

from plaudit.core.errors import DomainError, InvalidInput


class InvalidManager(DomainError):
    code = "invalid_manager"
    status = 400
    title = "Invalid manager"
    default_detail = "This manager would make the reporting line loop back on itself."
    field = "manager"


class PersonConflict(DomainError):
    """A uniqueness rule the database caught after the checks passed (a concurrent hire)."""

    code = "person_conflict"
    title = "Person already exists"
    default_detail = "Another person already has this email or employee id."


class EmailTaken(InvalidInput):
    default_detail = "Another person already has this email (emails ignore letter case)."
    field = "email"


class EmployeeIdTaken(InvalidInput):
    default_detail = "Another person already has this employee id."
    field = "employee_id"


class CannotDeactivateYourself(DomainError):
    code = "cannot_deactivate_yourself"
    title = "You cannot deactivate yourself"
    default_detail = (
        "You would lose access at once, and possibly the company its last HR admin. "
        "Ask another HR admin."
    )


class LastHRAdmin(DomainError):
    """The company would be left without an active HR admin, so nobody could fix it."""

    code = "last_hr_admin"
    title = "The company's last HR admin"
    default_detail = (
        "This is the company's last active HR admin: make someone else an HR admin first."
    )


class SignInLockedOut(DomainError):
    code = "locked_out"
    status = 429
    title = "Too many sign-in attempts"
    default_detail = "Too many failed sign-in attempts. Wait a few minutes, then try again."
