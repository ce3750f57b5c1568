"""Read models for HR's reports: how points flow through departments over the months."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy

from plaudit.core import calendar
from plaudit.core.calendar import months_back
from plaudit.ledger.models import AccountKind, Entry, TransactionKind

# Translators: the row of a report for people who belong to no department.
NO_DEPARTMENT = gettext_lazy("No department")


@dataclass(frozen=True)
class DepartmentMonth:
    department: str
    month: date
    given: int
    redeemed: int


def points_flow_by_department(months: int = 6) -> list[DepartmentMonth]:
    """Points given (allowance spent on kudos) and redeemed (net of refunds) per department.

    One aggregate query over ledger entries, grouped by the owner's department and
    the company's calendar month (in the company's time zone, whatever zone is active),
    so the report costs the same whatever the number of people.
    """
    since = calendar.month_bounds(months_back(months)[0])[0]
    rows = (
        Entry.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=calendar.company_zone()))
        .values("account__owner__department__name", "month")
        .annotate(
            given=Sum("amount", filter=Q(account__kind=AccountKind.ALLOWANCE)),
            redeemed=Sum(
                "amount",
                filter=Q(
                    account__kind=AccountKind.BALANCE,
                    transaction__kind__in=[TransactionKind.REDEMPTION, TransactionKind.REFUND],
                ),
            ),
        )
        .filter(account__owner__isnull=False)
        .order_by("month", "account__owner__department__name")
    )
    flow = []
    for row in rows:
        given, redeemed = -(row["given"] or 0), -(row["redeemed"] or 0)
        if given or redeemed:
            month = row["month"]
            flow.append(
                DepartmentMonth(
                    department=row["account__owner__department__name"] or str(NO_DEPARTMENT),
                    month=month.date() if isinstance(month, datetime) else month,
                    given=given,
                    redeemed=redeemed,
                )
            )
    return flow
