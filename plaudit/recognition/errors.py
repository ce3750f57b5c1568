"""Recognition's domain errors, each with a stable ``code`` a client can branch on."""

from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError


class InsufficientAllowance(DomainError):
    code = "insufficient_allowance"
    title = _("Insufficient allowance")
    default_detail = _("These points exceed what is left of your giving allowance this month.")


class RecipientRefused(DomainError):
    """Last line of defence for callers that skip the API's field-by-field validation."""

    code = "recipient_refused"
    status = 400
    title = _("Recipient refused")
    default_detail = _("A recognition needs 1 to 20 distinct, active people other than the giver.")


class OwnRecognition(DomainError):
    code = "own_recognition"
    title = _("Your own recognition")
    default_detail = _("The giver and the recipients of a recognition cannot add on to it.")


class AlreadyAddedOn(DomainError):
    code = "already_added_on"
    title = _("Already added on")
    default_detail = _("You have already added points to this recognition.")


class NoActiveRecipients(DomainError):
    code = "no_active_recipients"
    title = _("No active recipients")
    default_detail = _("Nobody on this recognition can receive points any more.")
