from plaudit.core.errors import DomainError


class RewardUnavailable(DomainError):
    code = "reward_unavailable"
    title = "Reward unavailable"
    default_detail = (
        "This reward is not available now (inactive, deleted, expired or not yet open)."
    )


class OutOfStock(DomainError):
    code = "out_of_stock"
    title = "Out of stock"
    default_detail = "This reward is out of stock."


class AlreadyRedeemed(DomainError):
    code = "already_redeemed"
    title = "Already redeemed"
    default_detail = "You have used up this reward's per-person limit."


class InvalidImage(DomainError):
    code = "invalid_image"
    status = 400
    title = "Invalid image"
    default_detail = "Upload a JPEG, PNG, GIF or WebP image."


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413
    title = "File too large"
    default_detail = "The file is larger than allowed."


class NoCodeAvailable(DomainError):
    code = "no_code_available"
    title = "No code available"
    default_detail = (
        "This reward hands out codes and none is left to assign; upload more codes, "
        "then fulfil again."
    )
