"""Who may redeem what: the rule :func:`~.services.redeem_reward` enforces under its locks,
and the same rule read ahead, so the catalog says why before anyone clicks.

One function decides (:func:`check_can_redeem`); the catalog's words come from the error
it raises, so the page and the redemption cannot disagree about a reward.
"""

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.core import wording
from plaudit.ledger.errors import InsufficientPoints
from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User

from .errors import AlreadyRedeemed, OutOfStock, RewardUnavailable
from .models import Reward
from .selectors import redemptions_counted_toward_limits


def check_can_redeem(
    reward: Reward, *, used: int, now: datetime, balance: int | None = None
) -> None:
    """Refuse a redemption of ``reward`` by someone with ``used`` redemptions of it that
    count toward its per-person limit (and, given their ``balance``, one they cannot pay).

    ``redeem_reward`` leaves ``balance`` out: the ledger checks it under the account lock.
    """
    if not reward.is_available_at(now):
        raise RewardUnavailable()
    if reward.per_user_limit is not None and used >= reward.per_user_limit:
        raise AlreadyRedeemed()
    if reward.stock is not None and reward.stock < 1:
        raise OutOfStock()
    if balance is not None and balance < reward.cost:
        raise InsufficientPoints()


def reasons_not_to_redeem(
    user: User, rewards: Sequence[Reward], *, now: datetime | None = None
) -> dict[int, str]:
    """``{reward id: why user cannot redeem it now}``; a reward they can redeem is absent.

    Read-only, in two queries for any number of rewards (their balance, and their
    redemptions of the rewards that have a per-person limit).
    """
    now = now or timezone.now()
    limited = [reward.pk for reward in rewards if reward.per_user_limit is not None]
    used = redemptions_counted_toward_limits(user, limited) if limited else {}
    balance = balance_of(user)
    reasons: dict[int, str] = {}
    for reward in rewards:
        try:
            check_can_redeem(reward, used=used.get(reward.pk, 0), now=now, balance=balance)
        except RewardUnavailable:
            reasons[reward.pk] = _("Not available now")
        except AlreadyRedeemed:
            limit = reward.per_user_limit or 0
            reasons[reward.pk] = (
                _("You have already redeemed this (once per person)")
                if limit == 1
                else ngettext(
                    "You have redeemed this the maximum %(count)s time",
                    "You have redeemed this the maximum %(count)s times",
                    limit,
                )
                % {"count": wording.number(limit)}
            )
        except OutOfStock:
            reasons[reward.pk] = _("Out of stock")
        except InsufficientPoints:
            missing = reward.cost - balance
            reasons[reward.pk] = ngettext(
                "You need %(count)s point more", "You need %(count)s points more", missing
            ) % {"count": wording.number(missing)}
    return reasons
