"""Keep each account's denormalised balance equal to the sum of its entries.

Runs inside the transaction that posts the entry, as one ``UPDATE ... SET balance =
balance + amount``; the account's check constraint refuses a negative balance.
"""

from typing import Any

from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Account, Entry


@receiver(post_save, sender=Entry, dispatch_uid="ledger.apply_entry_to_balance")
def apply_entry_to_balance(
    sender: type[Entry], instance: Entry, created: bool, **kwargs: Any
) -> None:
    if created:
        Account.objects.filter(pk=instance.account_id).update(
            balance=F("balance") + instance.amount
        )
