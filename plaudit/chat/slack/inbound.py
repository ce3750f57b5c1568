"""Slack's inbound side: ``/kudos``, the shortcuts and their modal, approval buttons."""

from slack_bolt import App


def register(app: App) -> None:
    """Add the inbound listeners to ``app``."""
