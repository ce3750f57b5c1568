"""How a WebSocket reaches its consumer: who is calling, from where, to which URL.

A socket authenticates with an access JWT in ``?token=`` (apps, integrations)
or with the session cookie (the browser). Only the cookie case is checked
against ``ALLOWED_HOSTS`` by ``Origin``: a cookie is sent by the browser on
its own, so another site could otherwise open a socket as the person
(cross-site WebSocket hijacking); a token has to be put there on purpose.
"""

from typing import Any
from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser
from django.urls import path
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from .consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/notifications/", NotificationConsumer.as_asgi())]


@database_sync_to_async
def user_for_token(raw: str) -> Any:
    """The active person an access token names, or AnonymousUser for any bad token."""
    authentication = JWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(raw.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


class TokenOrSessionAuthMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.by_session = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        tokens = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        if tokens:
            user = await user_for_token(tokens[-1])
            return await self.inner({**scope, "user": user}, receive, send)
        return await self.by_session(scope, receive, send)


def websocket_application() -> Any:
    return TokenOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns))
