"""Signals of the events app.

``event_ready`` is a custom signal: the dispatcher sends it once per delivery
attempt of an outbox event, and each consumer (in-app notifications, webhooks,
or any app that connects one in its ``AppConfig.ready()``) is a receiver. The
dispatcher does not know its consumers, and a consumer does not know who
produced the event.

``push_balance_on_posting`` listens to the ledger's ``transaction_posted``: any
transaction that moves a person's balance pushes the new balance to their sockets
once it commits, without the ledger knowing about WebSockets.
"""

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.dispatch import Signal, receiver

from plaudit.core.after_commit import run_after_commit
from plaudit.ledger.models import Account, AccountKind
from plaudit.ledger.signals import transaction_posted

from .realtime import push_balance

# Sent with ``event=<OutboxEvent>``; receivers must be idempotent (at-least-once delivery).
event_ready = Signal()


@receiver(transaction_posted, dispatch_uid="events.push_balance_on_posting")
def push_balance_on_posting(accounts: Sequence[Account], **kwargs: Any) -> None:
    for account in accounts:
        if account.kind == AccountKind.BALANCE and account.owner_id is not None:
            run_after_commit(partial(push_balance, account.owner_id))
