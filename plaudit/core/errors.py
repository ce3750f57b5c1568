"""The root of every domain error.

Services raise subclasses of :class:`DomainError`; the single exception handler in
:mod:`plaudit.core.exceptions` renders them as RFC 9457 problem documents. Each
subclass fixes a stable ``code`` a client can branch on and the HTTP ``status``.
"""

from typing import ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 409
    title: ClassVar[str] = "Conflict"
    default_detail: ClassVar[str] = "The request conflicts with the current state."
    # The input field at fault, if any: the problem document then names it in "errors".
    field: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_detail = "This move is not allowed from the object's current state."


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422
    title = "Idempotency key reused"
    default_detail = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInUse(DomainError):
    code = "idempotency_key_in_use"
    title = "Idempotency key in use"
    default_detail = "A request with this Idempotency-Key is still being processed; retry later."


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"
    status = 400
    title = "Invalid Idempotency-Key"
    default_detail = "Idempotency-Key must be 1 to 255 printable ASCII characters."
