"""The only code that moves points: :func:`post_transaction` and the use cases on top."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core import wording
from plaudit.core.after_commit import run_after_commit
from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.core.services import check_text, check_value
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.payloads import PointsGranted
from plaudit.people.cache import forget_own_pages
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .errors import DuplicateTransaction, InsufficientPoints
from .models import (
    GRANT_AMOUNT_VALIDATORS,
    MAX_DESCRIPTION_LENGTH,
    RESERVE_SHARDS,
    Account,
    AccountKind,
    Entry,
    Transaction,
    TransactionKind,
)

Leg = tuple[Account, int]


AccountKey = tuple[int | None, str, int]
"""Which account: (owner id, kind, shard); the reserve's shards have no owner."""


def key_of(owner: User, kind: AccountKind) -> AccountKey:
    return (owner.pk, kind, 0)


def reserve_key(for_person: User | None = None) -> AccountKey:
    """The reserve shard that ``for_person``'s postings use (shard 0 for the company's own)."""
    return (None, AccountKind.RESERVE, for_person.pk % RESERVE_SHARDS if for_person else 0)


def accounts_for(keys: Sequence[AccountKey]) -> list[Account]:
    """The accounts ``keys`` name, in their order, read in one query; any missing are created.

    One round trip for all of a use case's accounts, not one per account. It takes no
    lock: creating a missing account while holding others' row locks could deadlock
    with a transaction creating it too. Lock them next with :func:`lock_accounts`.
    """

    def read() -> dict[AccountKey, Account]:
        wanted = Q()
        for owner_id, kind, shard in keys:
            wanted |= Q(owner_id=owner_id, kind=kind, shard=shard)
        return {(row.owner_id, row.kind, row.shard): row for row in Account.objects.filter(wanted)}

    found = read()
    if missing := set(keys) - found.keys():
        for owner_id, kind, shard in sorted(missing, key=str):
            Account.objects.get_or_create(owner_id=owner_id, kind=kind, shard=shard)
        found = read()
    return [found[key] for key in keys]


def balance_and_reserve(person: User) -> tuple[Account, Account]:
    """``person``'s balance and their reserve shard, the two sides of every grant,
    redemption and refund, in one query."""
    balance, reserve = accounts_for([key_of(person, AccountKind.BALANCE), reserve_key(person)])
    return balance, reserve


def lock_accounts(account_ids: Iterable[int]) -> dict[int, Account]:
    """Lock accounts in primary-key order, the one lock order every writer follows.

    For a use case that must decide under the lock (a kudos checks the giver's monthly
    allowance); :func:`post_transaction` itself needs no lock before it writes.
    """
    locked = Account.objects.select_for_update().filter(pk__in=set(account_ids)).order_by("pk")
    return {account.pk: account for account in locked}


def description_in_company_language(message: str, **values: object) -> str:
    """A ledger line's description Plaudit writes (``message`` marked with
    ``gettext_noop``): stored once for everyone, so in the company's language
    (``LANGUAGE_CODE``), never in that of whoever caused it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % values


def post_transaction(
    *,
    kind: TransactionKind,
    legs: Sequence[Leg],
    description: str = "",
    created_by: User | None = None,
    reference: str | None = None,
) -> Transaction:
    """Post one balanced transaction; the single writer of every balance.

    Legs on the same account are merged; the legs must sum to zero. Raises
    :class:`InsufficientPoints` if a person's balance would go below zero and
    :class:`DuplicateTransaction` if ``reference`` was already posted.

    The balances the legs' accounts were read with give a precise refusal up front.
    Then each account's balance moves by one ``UPDATE ... SET balance = balance +
    amount``, in primary-key order: the update takes the row lock (the one lock
    order every writer follows), and the database's check constraint refuses a
    balance that a concurrent posting has taken below zero since that read.

    It takes no savepoint of its own (two round trips on every posting): a refusal
    leaves the enclosing transaction to be rolled back, so callers post inside their
    own ``transaction.atomic()``, as every use case does, and recover outside it.

    The use case records, in the same transaction, the event of its fact; the event's
    payload names the balances it moved (``balances_moved``), and that is how open
    pages learn the new balance once it is committed.
    """
    net: dict[int, int] = defaultdict(int)
    accounts: dict[int, Account] = {}
    for account, amount in legs:
        net[account.pk] += amount
        accounts[account.pk] = account
    moves = {account_id: amount for account_id, amount in sorted(net.items()) if amount}
    if sum(net.values()) != 0:
        raise ValueError(f"Unbalanced transaction: legs sum to {sum(net.values())}.")
    if not moves:
        raise ValueError("A transaction must move points.")
    for account_id, amount in moves.items():
        account = accounts[account_id]
        if account.kind == AccountKind.BALANCE and account.balance + amount < 0:
            raise InsufficientPoints(
                ngettext(
                    "The balance is %(count)s point; %(needed)s are needed.",
                    "The balance is %(count)s points; %(needed)s are needed.",
                    account.balance,
                )
                % {"count": wording.number(account.balance), "needed": wording.number(-amount)}
            )

    try:
        with transaction.atomic(savepoint=False):
            posted = Transaction.objects.create(
                kind=kind, description=description, created_by=created_by, reference=reference
            )
            Entry.objects.bulk_create(
                Entry(transaction=posted, account_id=account_id, amount=amount)
                for account_id, amount in moves.items()
            )
            for account_id, amount in moves.items():  # in primary-key order
                Account.objects.filter(pk=account_id).update(balance=F("balance") + amount)
            people = {accounts[account_id].owner_id for account_id in moves} - {None}
            run_after_commit(partial(forget_own_pages, people))
    except IntegrityError as exc:
        message = str(exc)
        if "balance_account_not_negative" in message:
            raise InsufficientPoints() from exc
        if reference is not None and "reference" in message:
            raise DuplicateTransaction() from exc
        raise
    return posted


def check_can_grant(granted_by: User | None) -> None:
    """HR admins grant points; ``None`` is Plaudit itself (seed data, a command)."""
    if granted_by is not None and not is_hr_admin(granted_by):
        raise NotAllowed(_("Only HR admins may grant points."))


def check_grantee(user: User) -> None:
    """Points go to someone still here: a person who has left can neither see nor spend them."""
    if not user.is_active:
        raise InvalidInput(
            _("%(name)s is no longer active; grant points to someone here.") % {"name": user},
            field="user",
        )


def check_grant(*, amount: object, reason: object) -> str:
    """A grant's bounds, at every door: a whole number of 1 to ``MAX_GRANT_AMOUNT``
    points and a reason (it is the ledger line's description). Returns it trimmed."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidInput(_("A grant is a whole number of points."), field="amount")
    check_value(amount, GRANT_AMOUNT_VALIDATORS, field="amount")
    return check_text(
        reason,
        field="reason",
        max_length=MAX_DESCRIPTION_LENGTH,
        missing=_("Say why: the person sees it in their points history."),
    )


def grant_points(*, user: User, amount: int, reason: str, granted_by: User | None) -> Transaction:
    """HR gives points from the company reserve; they are redeemable at once."""
    check_can_grant(granted_by)
    check_grantee(user)
    reason = check_grant(amount=amount, reason=reason)
    with transaction.atomic():
        balance, reserve = balance_and_reserve(user)
        posted = post_transaction(
            kind=TransactionKind.GRANT,
            legs=[(reserve, -amount), (balance, amount)],
            description=reason,
            created_by=granted_by,
        )
        record_event(
            EventType.POINTS_GRANTED,
            PointsGranted(
                transaction=posted.pk,
                user=user.pk,
                amount=amount,
                reason=reason,
                granted_by=granted_by.pk if granted_by else None,
            ),
            key=f"transaction:{posted.pk}",
        )
        large = amount >= settings.AUDIT_LARGE_GRANT_POINTS
        record(
            audit.LARGE_GRANT if large else audit.POINTS_GRANTED,
            actor=granted_by,
            target=posted,
            to=user.email,
            to_id=user.pk,
            amount=amount,
            reason=reason,
            large=large,
        )
    return posted
