"""Signals of the events app.

``event_ready`` is a custom signal: the dispatcher sends it once per delivery
attempt of an outbox event, and each consumer (in-app notifications, webhooks,
or any app that connects one in its ``AppConfig.ready()``) is a receiver. The
dispatcher does not know its consumers, and a consumer does not know who
produced the event.

``push_balance_on_ledger_entry`` listens to the ledger's ``post_save`` on
entries: any transaction that moves a person's balance pushes the new balance to
their sockets once it commits, without the ledger knowing about WebSockets.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from plaudit.core.after_commit import run_after_commit
from plaudit.ledger.models import AccountKind, Entry

from .realtime import push_balance

# Sent with ``event=<OutboxEvent>``; receivers must be idempotent (at-least-once delivery).
event_ready = Signal()


@receiver(post_save, sender=Entry, dispatch_uid="events.push_balance_on_ledger_entry")
def push_balance_on_ledger_entry(
    sender: type[Entry], instance: Entry, created: bool, **kwargs: Any
) -> None:
    account = instance.account
    if created and account.kind == AccountKind.BALANCE and account.owner_id is not None:
        owner_id = account.owner_id
        run_after_commit(lambda: push_balance(owner_id))
