"""Reads of the ledger: balances, allowances, history, and the integrity check."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from plaudit.people.models import User
from plaudit.people.roles import Role

from .models import Account, AccountKind, Entry, Transaction


def balance_of(user: User) -> int:
    balance = (
        Account.objects.filter(owner=user, kind=AccountKind.BALANCE)
        .values_list("balance", flat=True)
        .first()
    )
    return balance or 0


def reserve_balance() -> int:
    """The company reserve: the sum of its shards (negative once more was granted than spent)."""
    total = Account.objects.filter(kind=AccountKind.RESERVE).aggregate(total=Sum("balance"))
    return int(total["total"] or 0)


def monthly_allowance_for(user: User) -> int:
    """The giving budget per calendar month; managers may have a larger one."""
    if user.role == Role.MANAGER:
        return int(settings.PLAUDIT["MANAGER_MONTHLY_ALLOWANCE"])
    return int(settings.PLAUDIT["MONTHLY_ALLOWANCE"])


def allowance_period_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _allowance_debits(owner: User | OuterRef, since: datetime) -> QuerySet[Entry]:
    """The lines of ``owner``'s allowance account since ``since``: what they gave."""
    return Entry.objects.filter(
        account__owner=owner, account__kind=AccountKind.ALLOWANCE, created_at__gte=since
    )


def given_in_period(user: User, since: datetime) -> int:
    """Points the person gave since ``since``: the debits of their allowance account."""
    total = _allowance_debits(user, since).aggregate(total=Sum("amount"))["total"]
    return -(total or 0)


def with_points(people: QuerySet[User], now: datetime | None = None) -> QuerySet[User]:
    """``people`` with ``balance`` and ``given_this_month`` annotated: /me/ in one query.

    The same figures as :func:`balance_of` and :func:`given_in_period`, as subqueries
    of the people query instead of two queries of their own.
    """
    balance = Account.objects.filter(owner=OuterRef("pk"), kind=AccountKind.BALANCE)
    given = (
        _allowance_debits(OuterRef("pk"), allowance_period_start(now))
        .values("account__owner")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return people.annotate(
        balance=Coalesce(Subquery(balance.values("balance")[:1]), 0),
        given_this_month=-Coalesce(Subquery(given), 0),
    )


def points_of(person: User) -> dict[str, int]:
    """The balance and the giving allowance left, from a person loaded :func:`with_points`."""
    given: int = person.given_this_month  # type: ignore[attr-defined]
    return {
        "balance": person.balance,  # type: ignore[attr-defined]
        "allowance_remaining": max(monthly_allowance_for(person) - given, 0),
    }


def allowance_remaining(user: User, now: datetime | None = None) -> int:
    """Budget minus what was given this month: no counter, so no reset job to miss."""
    remaining = monthly_allowance_for(user) - given_in_period(user, allowance_period_start(now))
    return max(remaining, 0)


def entries_for(user: User) -> QuerySet[Entry]:
    """A person's balance lines, newest first, with their transaction in one query."""
    return (
        Entry.objects.filter(account__owner=user, account__kind=AccountKind.BALANCE)
        .select_related("transaction")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class LedgerProblem:
    subject: str
    detail: str


def ledger_problems() -> list[LedgerProblem]:
    """Every way the ledger disagrees with itself; empty when it is sound."""
    problems: list[LedgerProblem] = []
    sums = dict(
        Entry.objects.values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    )
    for account in Account.objects.select_related("owner").order_by("pk"):
        expected = sums.get(account.pk, 0)
        if account.balance != expected:
            problems.append(
                LedgerProblem(
                    f"account {account.pk} ({account})",
                    f"balance {account.balance} but entries sum to {expected}",
                )
            )
        if account.kind == AccountKind.BALANCE and account.balance < 0:
            problems.append(LedgerProblem(f"account {account.pk} ({account})", "negative balance"))
    unbalanced = (
        Transaction.objects.annotate(total=Sum("entries__amount"))
        .exclude(total=0)
        .values_list("pk", "total")
    )
    for pk, total in unbalanced:
        problems.append(LedgerProblem(f"transaction {pk}", f"entries sum to {total}, not 0"))
    return problems
