"""Fixtures for events tests: publishing an event through commit, and a real webhook receiver."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from plaudit.events.models import EventType, OutboxEvent
from plaudit.events.outbox import record_event


@pytest.fixture
def publish(django_capture_on_commit_callbacks: Any) -> Callable[..., OutboxEvent]:
    """Record an event and commit, so the dispatcher and every after-commit effect run."""

    def publish(type: EventType, data: dict[str, Any], **kwargs: Any) -> OutboxEvent:
        with django_capture_on_commit_callbacks(execute=True):
            return record_event(type, data, **kwargs)

    return publish


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that answers with the given statuses, then the last one."""

    statuses: list[int]
    requests: list[ReceivedRequest] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/plaudit"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver(statuses=[200])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.requests.append(ReceivedRequest(self.path, dict(self.headers.items()), body))
            index = min(len(received.requests), len(received.statuses)) - 1
            self.send_response(received.statuses[index])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_webhooks_allowed(settings: Any) -> None:
    """The test receiver listens on loopback, which only an operator's allow-list permits."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
