from plaudit.core.errors import DomainError


class InsufficientPoints(DomainError):
    code = "insufficient_points"
    title = "Insufficient points"
    default_detail = "Your balance is too low for this."


class DuplicateTransaction(DomainError):
    code = "duplicate_transaction"
    title = "Already recorded"
    default_detail = "A transaction with this reference was already posted."
