"""The WebSocket consumer behind /ws/notifications/ (served by the ASGI process)."""

from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .realtime import EVERYONE_GROUP, socket_closed, socket_opened, user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Joins the signed-in person's own group, and the group everyone is in, and forwards
    what is pushed to either.

    Pushes come from :mod:`plaudit.events.realtime` as ``{"type": "push",
    "message": {...}}``; the socket receives ``message`` as JSON
    (``{"type": "notification", ...}``, ``{"type": "balance", "balance": n}``,
    ``{"type": "import.progress", ...}``; to everyone ``{"type": "feed.new", ...}`` and
    ``{"type": "feed.counts", ...}``). An anonymous socket is refused at
    the handshake, so no group ever holds a socket that is not its owner's.
    """

    group: str | None = None
    user_id: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close()
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(EVERYONE_GROUP, self.channel_name)
        self.user_id = user.pk
        await sync_to_async(socket_opened)(user.pk)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(EVERYONE_GROUP, self.channel_name)
        if self.user_id is not None:
            await sync_to_async(socket_closed)(self.user_id)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Clients only listen; a ping gets a pong so they can check the line."""
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])
