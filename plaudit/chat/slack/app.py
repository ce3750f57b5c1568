"""The Slack app on slack-bolt, one endpoint for commands, interactions and events.

Nothing here calls Slack at import or start-up: an App is built on the first request
that needs it (per signing secret: the ``SLACK_SIGNING_SECRET`` one and each admin
workspace's), with an ``authorize`` function that reads the workspace's bot token from
the database, so bolt never calls ``auth.test``. Every request's signature and age
(five minutes at most) are verified by bolt before any listener runs.

Listeners are registered by the modules in :data:`HANDLER_MODULES`, each with a
``register(app)`` function: the inbound side (:mod:`.inbound`: ``/kudos``, shortcuts,
modals, approval buttons); the outbound side adds its own (App Home, reactions).
"""

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from .. import services
from ..models import Platform, Workspace
from .client import web_client

logger = logging.getLogger(__name__)

HANDLER_MODULES: list[str] = ["plaudit.chat.slack.inbound", "plaudit.chat.slack.events"]


def authorizer(signing_secret: str) -> Callable[..., AuthorizeResult | None]:
    """``authorize`` for the App of ``signing_secret``: the bot token of the workspace the
    request comes from, read from the database (no call to Slack). A workspace answers
    only to its own signing secret, so one app's secret cannot speak for another's team."""

    def authorize(
        enterprise_id: str | None, team_id: str | None, user_id: str | None, **_: Any
    ) -> AuthorizeResult | None:
        from_settings = bool(signing_secret) and signing_secret == settings.SLACK_SIGNING_SECRET
        workspace = services.slack_workspace(team_id or "", create=from_settings)
        if workspace is None or workspace.effective_signing_secret() != signing_secret:
            logger.info("slack request from an unknown or inactive team %s", team_id)
            return None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=workspace.effective_bot_token() or None,
            user_id=user_id,
        )

    return authorize


@functools.cache
def _app(signing_secret: str, api_url: str) -> App:
    app = App(
        name="Plaudit",
        signing_secret=signing_secret,
        authorize=authorizer(signing_secret),  # type: ignore[arg-type]  # None: an unknown team (bolt says so)
        token_verification_enabled=False,
        # Listeners only ack and queue a Celery task (on commit): they finish within
        # Slack's three seconds, in the request's own thread and database connection.
        process_before_response=True,
        client=web_client(token=""),
    )
    for module in HANDLER_MODULES:
        importlib.import_module(module).register(app)
    return app


def signing_secrets() -> list[str]:
    """Every signing secret a request may be signed with: the settings' first."""
    secrets = [settings.SLACK_SIGNING_SECRET] if settings.SLACK_SIGNING_SECRET else []
    for workspace in Workspace.objects.active().filter(platform=Platform.SLACK):
        if workspace.signing_secret and workspace.signing_secret not in secrets:
            secrets.append(workspace.signing_secret)
    return secrets


def app_for(body: bytes, headers: dict[str, str]) -> App | None:
    """The App whose signing secret signed this request; an unsigned or badly signed one
    goes to the first App, whose own verification refuses it (401). None: Slack is not
    configured at all."""
    secrets = signing_secrets()
    if not secrets:
        return None
    chosen = secrets[0]
    for secret in secrets:
        if SignatureVerifier(secret).is_valid_request(body, headers):
            chosen = secret
            break
    return _app(chosen, settings.SLACK_API_URL)


@functools.cache
def handler_for(app: App) -> SlackRequestHandler:
    return SlackRequestHandler(app)
