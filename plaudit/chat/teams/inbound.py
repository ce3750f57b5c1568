"""``@Plaudit kudos <at>Ana</at> 10 for …`` from a Teams outgoing webhook.

Teams posts the message as a Bot Framework activity and waits five seconds for the
answer, a message activity shown in the thread (an outgoing webhook cannot answer
privately: a refusal is a reply that mentions the giver). The kudos is given in the
request: one recognition is a few rows, well within the five seconds.

The text is the message with its mentions as ``<at>Name</at>``; the activity's
``entities`` say who each mention is. The webhook's own mention (a bot: ``28:…``, or
the first one when Teams does not say) is removed, then the word ``kudos``, and the rest
is read by the shared parser (:data:`plaudit.chat.parsing.TEAMS`). Teams does not repeat
a message: the receipt key is the activity's id in its conversation, which a replayed
request repeats.
"""

import hashlib
import html
import re
from typing import Any

from plaudit.people.models import User

from .. import formatting, services
from ..models import Workspace
from ..parsing import TEAMS, Kudos, parse_kudos
from . import linking
from .accounts import person_for_teams_user
from .cards import kudos_given_card, message_with

AT = re.compile(r"<at>(?P<label>.*?)</at>", re.IGNORECASE | re.DOTALL)
OTHER_TAGS = re.compile(r"</?(?!at\b)[a-z][^>]*>", re.IGNORECASE)
KEYWORDS = {"kudos", "/kudos", "kudos:"}
BOT_ID_PREFIX = "28:"
LINK_WORD = "link"
LINK_COMMAND = "@Plaudit link you@example.com"


def mentions_in(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        entity
        for entity in activity.get("entities") or []
        if isinstance(entity, dict) and entity.get("type") == "mention"
    ]


def clean_text(text: str) -> str:
    """Plain text with ``<at>`` tags kept: other tags dropped, entities and no-break
    spaces (Teams writes ``&nbsp;`` after a mention) made plain."""
    text = OTHER_TAGS.sub(" ", text or "")
    text = html.unescape(text).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def label_of(entity: dict[str, Any]) -> str:
    found = AT.search(str(entity.get("text") or ""))
    return html.unescape(found.group("label")).strip() if found else ""


def without_webhook_mention(text: str, mentions: list[dict[str, Any]]) -> str:
    for entity in mentions:
        mentioned = entity.get("mentioned") or {}
        if str(mentioned.get("id") or "").startswith(BOT_ID_PREFIX):
            tag = clean_text(str(entity.get("text") or ""))
            if tag and tag in text:
                return text.replace(tag, " ", 1).strip()
    first = AT.match(text)
    return text[first.end() :].strip() if first else text


def command_text(activity: dict[str, Any]) -> str:
    """The words after ``@Plaudit kudos``."""
    text = without_webhook_mention(
        clean_text(str(activity.get("text") or "")), mentions_in(activity)
    )
    word, _sep, rest = text.partition(" ")
    return rest.strip() if word.lower() in KEYWORDS else text


def receipt_key(activity: dict[str, Any]) -> str:
    conversation = str((activity.get("conversation") or {}).get("id") or "")
    seed = f"{conversation}\n{activity.get('id') or ''}"
    return "teams:message:" + hashlib.sha256(seed.encode()).hexdigest()


def text_reply(text: str, to: dict[str, Any] | None = None) -> dict[str, Any]:
    """A reply in the thread, mentioning ``to`` (the giver) when Teams said who it is."""
    if not to or not to.get("id") or not to.get("name"):
        return {"type": "message", "text": text}
    tag = f"<at>{html.escape(str(to['name']))}</at>"
    return {
        "type": "message",
        "text": f"{tag} {text}",
        "entities": [
            {"type": "mention", "text": tag, "mentioned": {"id": to["id"], "name": to["name"]}}
        ],
    }


def _never_linked(workspace: Workspace, user: dict[str, Any]) -> bool:
    """A Teams user with no link and no address to link by: an administrator must link
    them (Plaudit says which id). A link to nobody is answered by the service instead."""
    if person_for_teams_user(workspace, user) is not None:
        return False
    return services.linked_person(workspace, str(user.get("id") or "")) is None


def kudos_message(workspace: Workspace, activity: dict[str, Any]) -> dict[str, Any]:
    """Give the kudos an activity asks for, once; the answer for Teams. Never raises for
    a person's input."""
    giver = activity.get("from") or {}
    giver_id = str(giver.get("id") or "")
    if activity.get("type") != "message" or not giver_id:
        return {"type": "message", "text": ""}
    by_label: dict[str, dict[str, Any]] = {}
    for entity in mentions_in(activity):
        mentioned = entity.get("mentioned") or {}
        label = label_of(entity)
        if label and mentioned.get("id"):
            by_label.setdefault(label, mentioned)
    word, _sep, address = command_text(activity).partition(" ")
    if word.lower() == LINK_WORD:
        if "@" not in address:
            return text_reply(formatting.how_to_link(LINK_COMMAND), giver)
        return text_reply(linking.request_link(workspace, giver, address), giver)
    if _never_linked(workspace, giver):
        return text_reply(formatting.not_linked(giver_id, LINK_COMMAND), giver)
    parsed = parse_kudos(command_text(activity), TEAMS)
    for label in parsed.mentions if isinstance(parsed, Kudos) else []:
        user = by_label.get(label.strip())
        if user is not None and _never_linked(workspace, user):
            name = str(user.get("name") or label)
            answer = formatting.not_linked_person(name, str(user["id"]), LINK_COMMAND)
            return text_reply(answer, giver)
    names: dict[int, str] = {}

    def resolve(ident: str) -> User | None:
        user = giver if ident == giver_id else by_label.get(ident.strip())
        if user is None:
            return None
        person = person_for_teams_user(workspace, user)
        if person is not None and user.get("name"):
            names.setdefault(person.pk, str(user["name"]))
        return person

    def name_of(person: User) -> str:
        return names.get(person.pk) or str(person)

    reply = services.give_kudos_from_chat(
        workspace=workspace,
        giver_id=giver_id,
        text=command_text(activity),
        syntax=TEAMS,
        resolve=resolve,
        receipt_key=receipt_key(activity),
        name_of=name_of,
    )
    if not reply.public:
        return text_reply(reply.text, giver)
    return message_with(
        kudos_given_card(reply.announcement, reply.text), summary=reply.announcement
    )
