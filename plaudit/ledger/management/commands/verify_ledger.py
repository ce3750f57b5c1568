"""``manage.py verify_ledger``: prove every balance equals the sum of its entries."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.ledger.models import Account, Transaction
from plaudit.ledger.selectors import ledger_problems


class Command(BaseCommand):
    help = "Recompute every balance from its entries and check every transaction sums to zero."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        for problem in problems:
            # Translators: what is wrong (an account or a transaction), then how.
            self.stderr.write(
                _("%(subject)s: %(detail)s")
                % {"subject": problem.subject, "detail": problem.detail}
            )
        if problems:
            raise CommandError(
                ngettext(
                    "Ledger check failed: %(count)s problem.",
                    "Ledger check failed: %(count)s problems.",
                    len(problems),
                )
                % {"count": len(problems)}
            )
        accounts, transactions = Account.objects.count(), Transaction.objects.count()
        # Two lines, so each count takes its own plural.
        agree = ngettext(
            "Ledger OK: %(count)s account agrees with its entries.",
            "Ledger OK: %(count)s accounts agree with their entries.",
            accounts,
        ) % {"count": accounts}
        balance = ngettext(
            "%(count)s transaction balances.", "%(count)s transactions balance.", transactions
        ) % {"count": transactions}
        self.stdout.write(self.style.SUCCESS(agree))
        self.stdout.write(self.style.SUCCESS(balance))
