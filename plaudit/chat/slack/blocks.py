"""Block Kit: what Slack shows of a recognition's post, a direct message and the App Home.

Built from :mod:`plaudit.chat.content` (whose sentences are already in the reader's
language); what people wrote is escaped as Slack asks (``&``, ``<``, ``>``), so a message
cannot mention ``@channel`` or forge a link.

The approval buttons of a direct message carry :data:`APPROVE_ACTION` or
:data:`REJECT_ACTION` as their ``action_id`` and the redemption's id as their ``value``;
the inbound side (:mod:`.inbound`) handles their clicks through the rewards service.
"""

from typing import Any

from .. import content

APPROVE_ACTION = content.APPROVE_ACTION  # "plaudit_redemption_approve"
REJECT_ACTION = content.REJECT_ACTION  # "plaudit_redemption_reject"
OPEN_ACTION = "plaudit_open"  # a link button: Slack still sends its click, which is acked

Block = dict[str, Any]


def escape(text: str) -> str:
    """Text people wrote, shown as written (Slack's three control characters escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quote(text: str) -> str:
    return "\n".join(f">{line}" for line in escape(text).splitlines() or [""])


def _link_button(label: str, url: str, action_id: str = OPEN_ACTION) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "url": url,
        "action_id": action_id,
    }


def recognition_blocks(post: content.RecognitionPost) -> list[Block]:
    """A recognition in the channel: who thanked whom, the points, the values, the
    message and a link to its page. ``post.headline`` already holds Slack mentions."""
    facts = [f":star: *{escape(post.points_label)}*"]
    if post.values:
        facts.append(":label: " + escape(post.values_label))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":tada: *{post.headline}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _quote(post.message)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": fact} for fact in facts]},
        {"type": "actions", "elements": [_link_button(post.link_label, post.url)]},
    ]


def direct_message_blocks(message: content.DirectMessage) -> list[Block]:
    text = f"*{escape(message.title)}*"
    if message.body:
        text += "\n" + escape(message.body)
    buttons: list[Block] = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": button.label, "emoji": True},
            "action_id": button.action_id,
            "value": button.value,
            **({"style": button.style} if button.style else {}),
        }
        for button in message.buttons
    ]
    buttons.append(_link_button(message.link_label, message.url))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": buttons},
    ]


def home_view(home: content.Home) -> Block:
    """The App Home tab: balance and allowance side by side, then the last thank-yous."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": home.title, "emoji": True}}
    ]
    if home.balance_label:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{escape(home.balance_label)}*\n{home.balance}"},
                    {
                        "type": "mrkdwn",
                        "text": f"*{escape(home.allowance_label)}*\n{home.allowance}",
                    },
                ],
            }
        )
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{home.recent_label}*"}}
        )
    for line in home.recent:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"<{line.url}|{escape(line.text)}>\n{_quote(line.message)}",
                },
            }
        )
    if not home.recent:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(home.empty)}})
    blocks.append({"type": "actions", "elements": [_link_button(home.link_label, home.url)]})
    return {"type": "home", "blocks": blocks}
