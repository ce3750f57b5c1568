"""A local HTTP server standing in for a chat platform's REST API or incoming webhooks.

Generic: a subclass answers with :meth:`LocalServer.answer` (method, path, JSON body →
status and JSON). It records every request (:attr:`LocalServer.requests`) and fails on
demand (:meth:`LocalServer.fail`: the next calls to a path answer 500, or 429 with
``Retry-After``), as the platforms do.
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse


@dataclass
class Request:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class Failure:
    status: int
    times: int
    retry_after: int | None = None


class LocalServer:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.failures: dict[str, list[Failure]] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "LocalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.failures.clear()

    def fail(self, path: str, status: int = 500, *, times: int = 1, retry_after: int | None = None):
        """The next ``times`` requests to ``path`` answer ``status``."""
        with self.lock:
            self.failures.setdefault(path, []).append(Failure(status, times, retry_after))

    def requests_to(self, path: str, method: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r.path == path and (method is None or r.method == method)
            ]

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        return 404, {"message": "not found"}

    def _failure(self, path: str) -> Failure | None:
        with self.lock:
            queue = self.failures.get(path) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _serve(self) -> None:
                path = urlparse(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode()
                with fake.lock:
                    fake.requests.append(Request(self.command, path, body, dict(self.headers)))
                failure = fake._failure(path)
                if failure is not None:
                    headers = {}
                    if failure.retry_after is not None:
                        headers["Retry-After"] = str(failure.retry_after)
                    self._send(failure.status, {"message": "unavailable"}, headers)
                    return
                status, payload = fake.answer(self.command, path, body)
                self._send(status, payload, {})

            do_GET = _serve
            do_POST = _serve
            do_PUT = _serve

        return Handler
