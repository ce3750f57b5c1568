"""A local Slack Web API for the tests: a threaded HTTP server answering the methods
Plaudit calls, reached by slack-sdk's ``WebClient(base_url=...)`` (``SLACK_API_URL``).

It records every call (:attr:`FakeSlack.calls`), answers from what a test put in it
(:meth:`add_user`), and fails on demand: :meth:`fail` makes the next calls of a method
answer 500, or 429 with ``Retry-After``, as Slack does.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int
    times: int
    retry_after: int | None = None
    error: str | None = None  # an ``{"ok": false, "error": ...}`` answer with status 200


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.lock = threading.Lock()
        self._ts = 1700000000
        self._views = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- set-up --------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def response_url(self, name: str = "1") -> str:
        """A request's ``response_url``, answered (and recorded as ``response_url``) here."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/commands/T1/{name}"

    def start(self) -> "FakeSlack":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_user(
        self,
        user_id: str,
        email: str,
        *,
        name: str = "",
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str = "T1",
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id,
            "name": name or email.split("@")[0],
            "real_name": name or email.split("@")[0],
            "is_bot": is_bot,
            "deleted": deleted,
            "profile": {"email": email, "real_name": name or email.split("@")[0]},
        }

    def fail(
        self,
        method: str,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (429: ``Retry-After``)."""
        self.failures.setdefault(method, []).append(Failure(status, times, retry_after, error))

    # --- reading what happened ------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.failures.clear()

    # --- answering ----------------------------------------------------------------

    def _failure(self, method: str) -> Failure | None:
        with self.lock:
            queue = self.failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "response_url":
            return {"ok": True}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.lookupByEmail":
            email = str(params.get("email", "")).lower()
            for user in self.users.values():
                if user["profile"]["email"].lower() == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method in {"chat.postMessage", "chat.update"}:
            with self.lock:
                self._ts += 1
                ts = f"{self._ts}.000100"
            channel = params.get("channel")
            return {"ok": True, "channel": channel, "ts": params.get("ts") or ts, "message": {}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{self._ts}.000200"}
        if method in {"views.open", "views.update", "views.push", "views.publish"}:
            with self.lock:
                self._views += 1
                view_id = f"V{self._views:06d}"
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**(view or {}), "id": view_id, "hash": f"h{view_id}"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{params.get('users', 'X')}"}}
        if method in {"reactions.add", "reactions.remove", "auth.test"}:
            if method == "auth.test":
                return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _params(self) -> dict[str, Any]:
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("Content-Type", "")
                if raw and "json" in kind:
                    query.update(json.loads(raw))
                elif raw:
                    query.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return query

            def _serve(self) -> None:
                path = urlparse(self.path).path
                # The Web API is under /api/; anything else is a request's response_url.
                method = path.rsplit("/", 1)[-1] if path.startswith("/api/") else "response_url"
                params = self._params()
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth else params.get("token")
                with fake.lock:
                    fake.calls.append(Call(method, params, token))
                failure = fake._failure(method)
                if failure is not None and failure.error is None:
                    body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                    self.send_response(failure.status)
                    if failure.retry_after is not None:
                        self.send_header("Retry-After", str(failure.retry_after))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                answer = (
                    {"ok": False, "error": failure.error}
                    if failure is not None
                    else fake.answer(method, params)
                )
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _serve
            do_POST = _serve

        return Handler
