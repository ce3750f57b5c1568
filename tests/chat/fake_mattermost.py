"""A local Mattermost: the parts of its REST API v4 Plaudit calls, and incoming webhooks.

``GET /api/v4/users/{id}``, ``/users/username/{name}``, ``/users/email/{email}``,
``/users/me``; ``POST /api/v4/posts``, ``/channels/direct``, ``/actions/dialogs/open``;
``PUT /api/v4/posts/{id}/patch``; ``POST /hooks/{key}``
(answers ``ok`` as Mattermost does). Users are what a test put in (:meth:`add_user`);
``show_email=False`` answers with the address blanked, as Mattermost does for a token
that may not see addresses.
"""

import itertools
from typing import Any
from urllib.parse import unquote

from .local_server import LocalServer

BOT_USER_ID = "botuserid00000000000000000"


class FakeMattermost(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, dict[str, Any]] = {}
        self.show_email = True
        self._ids = itertools.count(1)

    def reset(self) -> None:
        super().reset()
        self.users.clear()
        self.show_email = True

    def add_user(
        self,
        user_id: str,
        username: str,
        email: str,
        *,
        is_bot: bool = False,
        email_verified: bool = True,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "username": username,
            "email": email,
            "email_verified": email_verified,
            "auth_service": "",
            "is_bot": is_bot,
            "delete_at": 0,
        }

    def _user(self, user: dict[str, Any] | None) -> tuple[int, Any]:
        if user is None:
            return 404, {"id": "app.user.missing_account.const", "status_code": 404}
        return 200, {**user, "email": user["email"] if self.show_email else ""}

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if path.startswith("/hooks/") and method == "POST":
            return 200, b"ok"
        parts = [unquote(part) for part in path.removeprefix("/api/v4/").split("/")]
        if parts[0] == "users" and method == "GET":
            if parts[1:] == ["me"]:
                return 200, {"id": BOT_USER_ID, "username": "plaudit", "is_bot": True}
            if len(parts) == 3 and parts[1] == "username":
                found = [u for u in self.users.values() if u["username"] == parts[2]]
                return self._user(found[0] if found else None)
            if len(parts) == 3 and parts[1] == "email":
                found = [u for u in self.users.values() if u["email"].lower() == parts[2].lower()]
                return self._user(found[0] if found else None)
            if len(parts) == 2:
                return self._user(self.users.get(parts[1]))
        if parts == ["posts"] and method == "POST":
            return 201, {"id": f"post{next(self._ids):022d}", **body}
        if parts == ["channels", "direct"] and method == "POST":
            return 201, {"id": "dm" + "".join(sorted(body))[:24], "type": "D"}
        if parts[0] == "posts" and parts[-1] == "patch" and method == "PUT":
            return 200, {"id": parts[1], **body}
        if parts == ["actions", "dialogs", "open"] and method == "POST":
            return 200, {"status": "OK"}
        return 404, {"message": "not found"}
