"""A small HTML rendering of Block Kit, enough to preview Plaudit's kudos post as Slack
shows it (docs/screenshots/slack-kudos.png): sections, context, buttons and Slack's
``mrkdwn`` (``*bold*``, ``>`` quotes, ``<@U123>`` mentions, ``<url|text>`` links,
``:emoji:``). Not a general renderer: what Plaudit's blocks use, no more."""

import html
import re
from typing import Any

EMOJI = {"tada": "🎉", "star": "⭐", "label": "🏷️"}

STYLE = """
body { margin: 0; background: #fff; font: 15px/1.46668 -apple-system, "Segoe UI",
  "Helvetica Neue", "Noto Sans", Arial, sans-serif; color: #1d1c1d; }
.message { display: flex; gap: 8px; padding: 16px 20px; width: 640px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff;
  font-weight: 700; display: flex; align-items: center; justify-content: center; }
.name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061;
  padding: 1px 3px; border-radius: 2px; margin: 0 4px; font-weight: 700; }
.time { color: #616061; font-size: 12px; }
.section { margin: 4px 0; white-space: pre-wrap; }
blockquote { margin: 4px 0; padding-left: 12px; border-left: 4px solid #ddd; }
.mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
.context { color: #616061; font-size: 13px; display: flex; gap: 16px; margin: 6px 0; }
.button { display: inline-block; border: 1px solid #bbb; border-radius: 4px;
  padding: 3px 12px; font-weight: 700; font-size: 14px; margin-top: 6px; }
.reactions { margin-top: 6px; display: flex; gap: 4px; }
.reaction { border: 1px solid #1d9bd1; background: #e8f5fa; border-radius: 12px;
  padding: 0 7px; font-size: 12px; color: #1264a3; }
"""


def mrkdwn(text: str, names: dict[str, str]) -> str:
    """Slack's mrkdwn as HTML; ``names`` gives each mentioned user's display name."""
    lines = []
    for line in text.split("\n"):
        quoted = line.startswith(">")
        line = line[1:] if quoted else line
        line = _inline(line, names)
        lines.append(f"<blockquote>{line}</blockquote>" if quoted else line)
    return "\n".join(lines).replace("</blockquote>\n<blockquote>", "<br>")


def _inline(text: str, names: dict[str, str]) -> str:
    # Slack's own escapes first (&lt; is a literal "<"), then the markup.
    parts = re.split(r"(<[^>]+>)", text)
    out = []
    for part in parts:
        if part.startswith("<@"):
            user = part[2:-1].split("|")[0]
            out.append(f'<span class="mention">@{html.escape(names.get(user, user))}</span>')
        elif part.startswith("<") and "|" in part:
            url, label = part[1:-1].split("|", 1)
            out.append(f'<a href="{html.escape(url)}">{html.escape(html.unescape(label))}</a>')
        else:
            out.append(html.escape(html.unescape(part)))
    rendered = "".join(out)
    rendered = re.sub(r"\*([^*]+)\*", r"<b>\1</b>", rendered)
    return re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), rendered)


def render(blocks: list[dict[str, Any]], names: dict[str, str], reactions: list[str]) -> str:
    body = []
    for block in blocks:
        if block["type"] == "section":
            body.append(f'<div class="section">{mrkdwn(block["text"]["text"], names)}</div>')
        elif block["type"] == "context":
            items = "".join(f"<span>{mrkdwn(e['text'], names)}</span>" for e in block["elements"])
            body.append(f'<div class="context">{items}</div>')
        elif block["type"] == "actions":
            buttons = "".join(
                f'<span class="button">{html.escape(e["text"]["text"])}</span>'
                for e in block["elements"]
            )
            body.append(f"<div>{buttons}</div>")
    chips = "".join(f'<span class="reaction">{r}</span>' for r in reactions)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"
        '<div class="message" id="message"><div class="avatar">P</div><div>'
        '<div><span class="name">Plaudit</span><span class="app">APP</span>'
        '<span class="time">10:42 AM</span></div>'
        f'{"".join(body)}<div class="reactions">{chips}</div></div></div></body></html>'
    )
