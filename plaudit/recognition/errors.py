"""Recognition's domain errors, each with a stable ``code`` a client can branch on."""

from plaudit.core.errors import DomainError


class InsufficientAllowance(DomainError):
    code = "insufficient_allowance"
    title = "Insufficient allowance"
    default_detail = "These points exceed what is left of your giving allowance this month."


class RecipientRefused(DomainError):
    """Last line of defence for callers that skip the API's field-by-field validation."""

    code = "recipient_refused"
    status = 400
    title = "Recipient refused"
    default_detail = "A recognition needs 1 to 20 distinct, active people other than the giver."


class OwnRecognition(DomainError):
    code = "own_recognition"
    title = "Your own recognition"
    default_detail = "The giver and the recipients of a recognition cannot add on to it."


class AlreadyAddedOn(DomainError):
    code = "already_added_on"
    title = "Already added on"
    default_detail = "You have already added points to this recognition."


class NoActiveRecipients(DomainError):
    code = "no_active_recipients"
    title = "No active recipients"
    default_detail = "Nobody on this recognition can receive points any more."
