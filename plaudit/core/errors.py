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
    # The input field at fault, if any: the problem document then names it in "errors",
    # and a form shows the message beside that field.
    field: str | None = None

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = detail or self.default_detail
        if field is not None:
            self.field = field
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


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it (who cannot see it gets a 404).

    Raised by services, which decide who may act, so every door gives the same answer;
    the code is DRF's own for a refused permission, which API clients already branch on.
    """

    code = "permission_denied"
    status = 403
    title = "Forbidden"
    default_detail = "You may not do this."


class InvalidInput(DomainError):
    """A service's rule about one input value: a 400 naming the field, at every door.

    The API renders it like a serializer's validation error (code ``invalid``); forms
    show the message beside ``field``.
    """

    code = "invalid"
    status = 400
    title = "Invalid input"
    default_detail = "This value is not valid."
