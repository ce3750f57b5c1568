"""``manage.py verify_ledger``: prove every balance equals the sum of its entries."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaudit.ledger.models import Account, Transaction
from plaudit.ledger.selectors import ledger_problems


class Command(BaseCommand):
    help = "Recompute every balance from its entries and check every transaction sums to zero."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(f"{problem.subject}: {problem.detail}")
        if problems:
            raise CommandError(f"Ledger check failed: {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ledger OK: {Account.objects.count()} accounts, "
                f"{Transaction.objects.count()} transactions balance."
            )
        )
