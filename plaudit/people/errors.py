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
