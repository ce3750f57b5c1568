"""Pushing messages to a person's open WebSockets, through the Channels layer.

Every push goes to one group per person (``user.<id>``), which only that
person's authenticated sockets join, so a message can only reach its owner.
Pushes are best effort: a browser that is not connected simply misses them and
reads the API instead, so a failing channel layer is logged, never raised.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from plaudit.core.after_commit import run_after_commit

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def push_to_user(user_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` (a JSON object with a ``type``) to every socket of one person now."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "push", "message": message})
    except Exception:  # a push is a courtesy; the API still has the truth
        logger.warning("Could not push %s to user %s", message.get("type"), user_id, exc_info=True)


def push_after_commit(user_id: int, message: dict[str, Any]) -> None:
    run_after_commit(lambda: push_to_user(user_id, message))


def push_balance(user_id: int) -> None:
    """Tell a person their balance as committed now (read at push time, so never stale)."""
    from plaudit.ledger.models import Account, AccountKind

    balance = (
        Account.objects.filter(owner_id=user_id, kind=AccountKind.BALANCE)
        .values_list("balance", flat=True)
        .first()
    )
    push_to_user(user_id, {"type": "balance", "balance": balance or 0})


def push_import_progress(user_id: int, progress: dict[str, Any]) -> None:
    """For the imports app: ``progress`` is the job as the API shows it (id, status, counts)."""
    push_to_user(user_id, {"type": "import.progress", **progress})
