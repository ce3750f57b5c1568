from plaudit.core.errors import DomainError


class InvalidManager(DomainError):
    code = "invalid_manager"
    status = 400
    title = "Invalid manager"
    default_detail = "This manager would make the reporting line loop back on itself."
    field = "manager"


class PersonConflict(DomainError):
    code = "person_conflict"
    title = "Person already exists"
    default_detail = "Another person already has this email or employee id."


class CannotDeactivateYourself(DomainError):
    code = "cannot_deactivate_yourself"
    title = "You cannot deactivate yourself"
    default_detail = (
        "You would lose access at once, and possibly the company its last HR admin. "
        "Ask another HR admin."
    )


class SignInLockedOut(DomainError):
    code = "locked_out"
    status = 429
    title = "Too many sign-in attempts"
    default_detail = "Too many failed sign-in attempts. Wait a few minutes, then try again."
