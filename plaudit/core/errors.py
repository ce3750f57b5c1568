"""The root of every domain error.

Services raise subclasses of :class:`DomainError`; the single exception handler in
:mod:`plaudit.core.exceptions` renders them as RFC 9457 problem documents. Each
subclass fixes a stable ``code`` a client can branch on and the HTTP ``status``.
"""

from typing import TYPE_CHECKING, ClassVar, cast

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 409
    title: ClassVar["str | _StrPromise"] = _("Conflict")
    default_detail: ClassVar["str | _StrPromise"] = _(
        "The request conflicts with the current state."
    )
    # The input field at fault, if any: the problem document then names it in "errors",
    # and a form shows the message beside that field.
    field: str | None = None
    # The words people read: a lazy translation (``gettext_lazy``) until the problem
    # document or the page is rendered, in the reader's language. It reads as a str.
    detail: str

    def __init__(
        self, detail: "str | _StrPromise | None" = None, *, field: str | None = None
    ) -> None:
        self.detail = cast(str, detail or self.default_detail)
        if field is not None:
            self.field = field
        super().__init__(self.detail)


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_detail = _("This move is not allowed from the object's current state.")


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422
    title = _("Idempotency key reused")
    default_detail = _("This Idempotency-Key was already used with a different request body.")


class IdempotencyKeyInUse(DomainError):
    code = "idempotency_key_in_use"
    title = _("Idempotency key in use")
    default_detail = _("A request with this Idempotency-Key is still being processed; retry later.")


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"
    status = 400
    title = _("Invalid Idempotency-Key")
    default_detail = _("Idempotency-Key must be 1 to 255 printable ASCII characters.")


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it (who cannot see it gets a 404).

    Raised by services, which decide who may act, so every door gives the same answer;
    the code is DRF's own for a refused permission, which API clients already branch on.
    """

    code = "permission_denied"
    status = 403
    title = _("Forbidden")
    default_detail = _("You may not do this.")


class InvalidInput(DomainError):
    """A service's rule about one input value: a 400 naming the field, at every door.

    The API renders it like a serializer's validation error (code ``invalid``); forms
    show the message beside ``field``.
    """

    code = "invalid"
    status = 400
    title = _("Invalid input")
    default_detail = _("This value is not valid.")
