"""A local Teams incoming webhook (Workflows): takes a message activity, answers 202."""

from typing import Any

from .local_server import LocalServer


class FakeTeamsWebhook(LocalServer):
    """A Workflows webhook: 202 Accepted, no body."""

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        return 202, b""
