from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError


class InsufficientPoints(DomainError):
    code = "insufficient_points"
    title = _("Insufficient points")
    default_detail = _("Your balance is too low for this.")


class DuplicateTransaction(DomainError):
    code = "duplicate_transaction"
    title = _("Already recorded")
    default_detail = _("A transaction with this reference was already posted.")
