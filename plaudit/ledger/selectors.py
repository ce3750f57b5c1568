"""Reads of the ledger: balances, allowances, history, and the integrity check."""

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from plaudit.core.calendar import this_month
from plaudit.people.models import User
from plaudit.people.roles import Role

from .models import Account, AccountKind, Entry, Transaction

T = TypeVar("T")


def balance_of(user: User) -> int:
    balance = (
        Account.objects.filter(owner=user, kind=AccountKind.BALANCE)
        .values_list("balance", flat=True)
        .first()
    )
    return balance or 0


def monthly_allowance_for(user: User) -> int:
    """The giving budget per calendar month; managers may have a larger one."""
    if user.role == Role.MANAGER:
        return int(settings.PLAUDIT["MANAGER_MONTHLY_ALLOWANCE"])
    return int(settings.PLAUDIT["MONTHLY_ALLOWANCE"])


def allowance_period_start(now: datetime | None = None) -> datetime:
    """The start of the company's calendar month (:mod:`plaudit.core.calendar`): a
    person's own time zone never moves the allowance's month."""
    return this_month(now)[0]


def given_in_period(user: User, since: datetime) -> int:
    """Points the person gave since ``since``: the debits of their allowance account."""
    total = Entry.objects.filter(
        account__owner=user, account__kind=AccountKind.ALLOWANCE, created_at__gte=since
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or 0)


def points_of(person: User, now: datetime | None = None) -> dict[str, int]:
    """The balance and the giving allowance left: /me/ and every web page, in one query.

    The same figures as :func:`balance_of` and :func:`allowance_remaining` (the tests
    hold them equal), written as SQL: the ORM spends about 3 ms of CPU composing this
    query (two correlated subqueries), more than the rest of /me/ together, and 0.1 ms
    running it.
    """
    account, entry = Account._meta.db_table, Entry._meta.db_table
    connection = connections[router.db_for_read(Account)]
    # As the ORM would write it: SQLite stores UTC text and compares text, so the
    # month's start (at the company's offset) must be written as UTC text too.
    since = connection.ops.adapt_datetimefield_value(allowance_period_start(now))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
                (SELECT balance FROM {account} WHERE owner_id = %s AND kind = %s),
                (SELECT SUM(e.amount) FROM {entry} e JOIN {account} a ON a.id = e.account_id
                  WHERE a.owner_id = %s AND a.kind = %s AND e.created_at >= %s)
            """,  # noqa: S608 (table names from the models; every value is a parameter)
            [
                person.pk,
                AccountKind.BALANCE,
                person.pk,
                AccountKind.ALLOWANCE,
                since,
            ],
        )
        balance, allowance_lines = cursor.fetchone()
    given = -(allowance_lines or 0)
    return {
        "balance": balance or 0,
        "allowance_remaining": max(monthly_allowance_for(person) - given, 0),
    }


def points_terms(now: datetime | None = None) -> str:
    """What :func:`points_of` depends on besides the person and their accounts: the
    allowance period and the configured allowances (part of a cache key)."""
    plaudit = settings.PLAUDIT
    return (
        f"{allowance_period_start(now).isoformat()}"
        f":{plaudit['MONTHLY_ALLOWANCE']}:{plaudit['MANAGER_MONTHLY_ALLOWANCE']}"
    )


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


def _account_subject(account: Account) -> str:
    # Translators: an account's number and name, as verify_ledger names it.
    return _("account %(id)s (%(account)s)") % {"id": account.pk, "account": account}


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
                    _account_subject(account),
                    _("balance %(balance)s but entries sum to %(expected)s")
                    % {"balance": account.balance, "expected": expected},
                )
            )
        if account.kind == AccountKind.BALANCE and account.balance < 0:
            problems.append(LedgerProblem(_account_subject(account), _("negative balance")))
    unbalanced = (
        Transaction.objects.annotate(total=Sum("entries__amount"))
        .exclude(total=0)
        .values_list("pk", "total")
    )
    for pk, total in unbalanced:
        problems.append(
            LedgerProblem(
                _("transaction %(id)s") % {"id": pk},
                _("entries sum to %(total)s, not 0") % {"total": total},
            )
        )
    return problems
