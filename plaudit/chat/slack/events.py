"""Slack's Events API listeners of the outbound side: the App Home, and reactions on
Plaudit's posts. Each only queues a Celery task (on commit) and returns, so Slack's
event is acknowledged within its three seconds; a retried event is harmless (the
App Home is published again, a reaction is added or removed once)."""

from typing import Any

from slack_bolt import App

from plaudit.core.after_commit import enqueue, run_after_commit

from .. import services, tasks


def _workspace_id(body: dict[str, Any], context: Any) -> int | None:
    workspace = services.slack_workspace(str(body.get("team_id") or context.team_id or ""))
    return workspace.pk if workspace is not None else None


def on_app_home_opened(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    workspace_id = _workspace_id(body, context)
    if workspace_id is not None:
        user = str(event["user"])
        run_after_commit(lambda: enqueue(tasks.publish_slack_home, workspace_id, user))


def _on_reaction(event: dict[str, Any], body: dict[str, Any], context: Any, added: bool) -> None:
    item = event.get("item") or {}
    if item.get("type") != "message" or not event.get("user") or not event.get("reaction"):
        return
    workspace_id = _workspace_id(body, context)
    if workspace_id is None:
        return
    arguments = (
        workspace_id,
        str(event["user"]),
        str(item.get("channel", "")),
        str(item.get("ts", "")),
        str(event["reaction"]),
        added,
    )
    run_after_commit(lambda: enqueue(tasks.apply_slack_reaction, *arguments))


def on_reaction_added(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
    _on_reaction(event, body, context, added=True)


def on_reaction_removed(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
    _on_reaction(event, body, context, added=False)


def register(app: App) -> None:
    """Add the outbound side's listeners to ``app``."""
    app.event("app_home_opened")(on_app_home_opened)
    app.event("reaction_added")(on_reaction_added)
    app.event("reaction_removed")(on_reaction_removed)
