from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError


class RewardUnavailable(DomainError):
    code = "reward_unavailable"
    title = _("Reward unavailable")
    default_detail = _(
        "This reward is not available now (inactive, deleted, expired or not yet open)."
    )


class OutOfStock(DomainError):
    code = "out_of_stock"
    title = _("Out of stock")
    default_detail = _("This reward is out of stock.")


class AlreadyRedeemed(DomainError):
    code = "already_redeemed"
    title = _("Already redeemed")
    default_detail = _("You have used up this reward's per-person limit.")


class InvalidImage(DomainError):
    code = "invalid_image"
    status = 400
    title = _("Invalid image")
    default_detail = _("Upload a JPEG, PNG, GIF or WebP image.")


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413
    title = _("File too large")
    default_detail = _("The file is larger than allowed.")


class NoCodeAvailable(DomainError):
    code = "no_code_available"
    title = _("No code available")
    default_detail = _(
        "This reward hands out codes and none is left to assign; upload more codes, "
        "then fulfil again."
    )
