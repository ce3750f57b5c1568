"""Pushing messages to a person's open WebSockets, through the Channels layer.

Every push goes to one group per person (``user.<id>``), which only that
person's authenticated sockets join, so a message can only reach its owner.
Pushes are best effort: a browser that is not connected simply misses them and
reads the API instead, so a failing channel layer is logged, never raised.

Most people have no socket open when their points move (an API client, a closed
tab), and a push from a web process costs an event loop and several Redis round
trips (about 2 ms of CPU). So sockets count themselves in the cache as they open
and close, and a push to someone with none open is skipped after one cache read.
"""

import contextlib
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from plaudit.core.after_commit import run_after_commit
from plaudit.core.cache import count_in_window

logger = logging.getLogger(__name__)


# As long as channels_redis keeps a socket in a group without hearing from it, so a
# count left behind by a process that died with sockets open cannot outlive them.
OPEN_SOCKETS_SECONDS = 86_400


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _open_sockets_key(user_id: int) -> str:
    return f"ws:open:{user_id}"


def socket_opened(user_id: int) -> None:
    """One more open socket; the count lives a day past the latest opening."""
    key = _open_sockets_key(user_id)
    count_in_window(key, OPEN_SOCKETS_SECONDS)
    cache.touch(key, OPEN_SOCKETS_SECONDS)


def socket_closed(user_id: int) -> None:
    with contextlib.suppress(ValueError):  # already expired
        cache.decr(_open_sockets_key(user_id))


def has_open_socket(user_id: int) -> bool:
    return int(cache.get(_open_sockets_key(user_id)) or 0) > 0


def push_to_user(user_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` (a JSON object with a ``type``) to every socket of one person now."""
    layer = get_channel_layer()
    if layer is None or not has_open_socket(user_id):
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

    if not has_open_socket(user_id):
        return
    balance = (
        Account.objects.filter(owner_id=user_id, kind=AccountKind.BALANCE)
        .values_list("balance", flat=True)
        .first()
    )
    push_to_user(user_id, {"type": "balance", "balance": balance or 0})


def push_import_progress(user_id: int, progress: dict[str, Any]) -> None:
    """For the imports app: ``progress`` is the job as the API shows it (id, status, counts)."""
    push_to_user(user_id, {"type": "import.progress", **progress})
