"""Mattermost's REST API v4 for one workspace: its server (``api_url``) and its bot's
access token. Built on demand, never at import or start-up.

Every call raises :class:`httpx.HTTPError` when it fails: an
:class:`httpx.HTTPStatusError` carries the response (its status, ``Retry-After``), a
:class:`httpx.TransportError` an unreachable server.
"""

from typing import Any
from urllib.parse import quote

import httpx

from ..models import Workspace

TIMEOUT_SECONDS = 10


class MattermostClient:
    def __init__(self, workspace: Workspace) -> None:
        self.base_url = workspace.api_url.rstrip("/") + "/api/v4"
        self.token = workspace.effective_bot_token()

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(
            method,
            self.base_url + path,
            json=json,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return response.json()

    def user(self, user_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/users/{quote(user_id, safe='')}"))

    def user_by_username(self, username: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/users/username/{quote(username, safe='')}"))

    def user_by_email(self, email: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/users/email/{quote(email, safe='')}"))

    def me(self) -> dict[str, Any]:
        return dict(self._call("GET", "/users/me"))

    def create_post(self, channel_id: str, message: str, props: dict[str, Any]) -> dict[str, Any]:
        post = {"channel_id": channel_id, "message": message, "props": props}
        return dict(self._call("POST", "/posts", json=post))

    def direct_channel(self, user_id: str, other_user_id: str) -> dict[str, Any]:
        return dict(self._call("POST", "/channels/direct", json=[user_id, other_user_id]))

    def patch_post(self, post_id: str, patch: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("PUT", f"/posts/{quote(post_id, safe='')}/patch", json=patch))

    def open_dialog(self, trigger_id: str, url: str, dialog: dict[str, Any]) -> None:
        """An interactive dialog; the trigger id lives three seconds, so this is called
        in the request of the click that opens it."""
        self._call(
            "POST",
            "/actions/dialogs/open",
            json={"trigger_id": trigger_id, "url": url, "dialog": dialog},
        )
