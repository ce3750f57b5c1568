"""The Block Kit of the modals: give kudos (recipients, points, values, message), say why
a redemption is rejected, or tell a Slack user Plaudit does not know them. Input
blocks' ``block_id`` are the service's field names, so its errors land on them."""

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from plaudit.recognition.models import MAX_MESSAGE_LENGTH, CompanyValue
from plaudit.rewards.models import MAX_REJECTION_REASON_LENGTH

from .ids import KUDOS_CALLBACK, REJECT_CALLBACK

VALUE = "value"  # every input's action_id


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def kudos_modal(
    *,
    recipients: list[str] | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    values = list(CompanyValue.objects.alive().order_by("name")[:100])
    users: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": VALUE,
        "placeholder": _text(_("Choose people")),
        "max_selected_items": 20,
    }
    if recipients:
        users["initial_users"] = recipients
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "recipients",
            "label": _text(_("Whom do you thank?")),
            "element": users,
        },
        {
            "type": "input",
            "block_id": "points",
            "optional": True,
            "label": _text(_("Points for each (none for a plain thank-you)")),
            "element": {
                "type": "number_input",
                "action_id": VALUE,
                "is_decimal_allowed": False,
                "min_value": "0",
            },
        },
    ]
    if values:
        blocks.append(
            {
                "type": "input",
                "block_id": "values",
                "optional": True,
                "label": _text(_("Company values")),
                "element": {
                    "type": "multi_static_select",
                    "action_id": VALUE,
                    "placeholder": _text(_("Choose values")),
                    "options": [
                        {"text": _text(f"{v.emoji} {v.name}".strip()), "value": v.slug}
                        for v in values
                    ],
                },
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "message",
            "label": _text(_("What did they do?")),
            "element": {
                "type": "plain_text_input",
                "action_id": VALUE,
                "multiline": True,
                "max_length": MAX_MESSAGE_LENGTH,
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": KUDOS_CALLBACK,
        "title": _text(_("Give kudos")),
        "submit": _text(_("Give")),
        "close": _text(_("Cancel")),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": blocks,
    }


def notice_modal(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": _text(_("Plaudit")),
        "close": _text(_("Close")),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def reject_modal(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK,
        "title": _text(_("Reject")),
        "submit": _text(_("Reject")),
        "close": _text(_("Cancel")),
        "private_metadata": json.dumps(metadata),
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": _text(_("Why? The person sees it.")),
                "element": {
                    "type": "plain_text_input",
                    "action_id": VALUE,
                    "multiline": True,
                    "max_length": MAX_REJECTION_REASON_LENGTH,
                },
            }
        ],
    }


@dataclass(frozen=True)
class KudosForm:
    recipients: list[str]
    points: object  # an int, or the text typed when it is not one (the service says so)
    value_slugs: list[str]
    message: str


def _state(view: dict[str, Any], block: str) -> dict[str, Any]:
    values = (view.get("state") or {}).get("values") or {}
    return dict((values.get(block) or {}).get(VALUE) or {})


def read_kudos(view: dict[str, Any]) -> KudosForm:
    raw = (_state(view, "points").get("value") or "").strip()
    points: object
    try:
        points = int(raw) if raw else 0
    except ValueError:
        points = raw
    return KudosForm(
        recipients=list(_state(view, "recipients").get("selected_users") or []),
        points=points,
        value_slugs=[o["value"] for o in _state(view, "values").get("selected_options") or []],
        message=_state(view, "message").get("value") or "",
    )


def read_reason(view: dict[str, Any]) -> str:
    return str(_state(view, "reason").get("value") or "")


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
