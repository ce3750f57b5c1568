"""Pushing messages to a person's open WebSockets, through the Channels layer.

A push goes to one group per person (``user.<id>``), which only that person's
authenticated sockets join, so a message can only reach its owner; or, for what
the whole company sees (the feed's new thank-yous and counts), to ``everyone``.
Pushes are best effort: a browser that is not connected simply misses them and
reads the API instead, so a failing channel layer is logged, never raised.

What is pushed is a committed fact: the outbox's consumers push, after the event's
delivery commits (:func:`~.dispatch.live_consumer`): each app its own messages, the
ledger the balance, recognition the feed, this app the notifications.

Most people have no socket open when their points move (an API client, a closed
tab), and a push from a web process costs an event loop and several Redis round
trips (about 2 ms of CPU). So sockets count themselves in the cache as they open
and close, and a push to someone with none open is skipped after one cache read.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
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


# Every signed-in socket also joins this group: for what the whole company sees (the feed).
EVERYONE_GROUP = "everyone"


def _open_sockets_key(user_id: int | None) -> str:
    """One person's open sockets; with no person, everyone's."""
    return f"ws:open:{'all' if user_id is None else user_id}"


def socket_opened(user_id: int) -> None:
    """One more open socket; each count lives a day past its latest opening."""
    for key in (_open_sockets_key(user_id), _open_sockets_key(None)):
        count_in_window(key, OPEN_SOCKETS_SECONDS)
        cache.touch(key, OPEN_SOCKETS_SECONDS)


def socket_closed(user_id: int) -> None:
    for key in (_open_sockets_key(user_id), _open_sockets_key(None)):
        with contextlib.suppress(ValueError):  # already expired
            cache.decr(key)


def has_open_socket(user_id: int | None) -> bool:
    """Whether this person (with none: anyone) has a socket open."""
    return int(cache.get(_open_sockets_key(user_id)) or 0) > 0


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "push", "message": message})
    except Exception:  # a push is a courtesy; the API still has the truth
        logger.warning("Could not push %s to %s", message.get("type"), group, exc_info=True)


def with_open_sockets(user_ids: Iterable[int]) -> list[int]:
    """Those of these people who have a socket open, in one cache read for all."""
    wanted = {_open_sockets_key(user_id): user_id for user_id in user_ids}
    counts = cache.get_many(list(wanted)) if wanted else {}
    return [user_id for key, user_id in wanted.items() if int(counts.get(key) or 0) > 0]


def push_to_user(user_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` (a JSON object with a ``type``) to every socket of one person now."""
    if has_open_socket(user_id):
        send_to_user(user_id, message)


def send_to_user(user_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` to one person's sockets now, for a caller that has already found
    (:func:`with_open_sockets`) that they have one open."""
    _send(user_group(user_id), message)


def push_to_users(messages: Mapping[int, dict[str, Any]]) -> None:
    """Send each person their message now: one cache read finds who of them has a socket
    open, however many they are (an event told to a whole department)."""
    for user_id in with_open_sockets(messages):
        send_to_user(user_id, messages[user_id])


def push_to_everyone(message_for: Callable[[], dict[str, Any]]) -> None:
    """Send ``message_for()`` to every open socket now; with none open it is never built,
    so its queries cost nothing. It must say only what everyone may see."""
    if has_open_socket(None):
        _send(EVERYONE_GROUP, message_for())


def push_after_commit(messages: Mapping[int, dict[str, Any]]) -> None:
    """:func:`push_to_users` once the current transaction commits."""
    if messages:
        run_after_commit(lambda: push_to_users(messages))
