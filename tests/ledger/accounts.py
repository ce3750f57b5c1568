"""Accounts by owner, for tests that post to them by hand or read the reserve's total.

The product names accounts by key and reads all of a use case's at once
(``accounts_for``); these one-account shortcuts only serve tests, so they live here.
"""

from django.db.models import Sum

from plaudit.ledger.models import Account, AccountKind
from plaudit.ledger.services import accounts_for, key_of, reserve_key
from plaudit.people.models import User


def balance_account(owner: User) -> Account:
    return accounts_for([key_of(owner, AccountKind.BALANCE)])[0]


def allowance_account(owner: User) -> Account:
    return accounts_for([key_of(owner, AccountKind.ALLOWANCE)])[0]


def reserve_account(for_person: User | None = None) -> Account:
    """The reserve shard that ``for_person``'s postings use (``reserve_key``)."""
    return accounts_for([reserve_key(for_person)])[0]


def reserve_balance() -> int:
    """The company reserve: the sum of its shards (negative once more was granted than spent)."""
    total = Account.objects.filter(kind=AccountKind.RESERVE).aggregate(total=Sum("balance"))
    return int(total["total"] or 0)
