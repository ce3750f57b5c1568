"""deploy/slack/manifest.yaml agrees with the code: the command, the shortcuts, one URL."""

from pathlib import Path

import yaml
from django.urls import reverse

from plaudit.chat.slack import ids

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yaml"


def test_the_manifest_names_what_the_app_listens_to():
    manifest = yaml.safe_load(MANIFEST.read_text())
    features, settings = manifest["features"], manifest["settings"]
    [command] = features["slash_commands"]
    assert command["command"] == ids.COMMAND
    assert command["should_escape"] is True  # mentions arrive as <@U123|name>
    assert {(s["type"], s["callback_id"]) for s in features["shortcuts"]} == {
        ("global", ids.GLOBAL_SHORTCUT),
        ("message", ids.MESSAGE_SHORTCUT),
    }
    path = reverse("chat:slack-events")
    urls = {
        command["url"],
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    }
    assert urls == {f"https://plaudit.example.com{path}"}
    assert {"app_home_opened", "reaction_added", "reaction_removed"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "users:read.email", "im:write"} <= scopes
