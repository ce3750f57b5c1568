"""``/kudos`` from a Mattermost outgoing slash command.

Mattermost POSTs the command form-encoded (``token``, ``team_id``, ``channel_id``,
``user_id``, ``user_name``, ``text``, ``response_url``, ``trigger_id``) and sends the
token again as ``Authorization: Token …``. The token is compared, in constant time, with
the one stored for the workspace of ``team_id``: no workspace or another token, and
nothing is given. The answer is Mattermost's command response: ``in_channel`` for a
kudos given (what was given, for the channel) with the allowance left said privately
(an ``ephemeral`` extra response); ``ephemeral`` for every refusal.

Idempotency. Mattermost does not retry a slash command by itself, but a proxy, a
reverse-proxy timeout or a replayed request can deliver the same one twice. Each
execution carries a fresh ``trigger_id`` (every server with interactive dialogs sends
one), repeated by such a retry and never by a new command, so the receipt key is its
hash. Older servers send none: the key is then a hash of the user, the team, the text
and the current minute, so a repeat within that minute gives once (two minutes'
boundary can let two through; the same thanks given on purpose twice within a minute
is answered "already done").
"""

import hashlib
import hmac
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from plaudit.people.models import User

from .. import services
from ..models import Platform, Workspace
from ..parsing import MATTERMOST
from .accounts import person_for_user_id, person_for_username

logger = logging.getLogger(__name__)

FALLBACK_WINDOW_SECONDS = 60


@dataclass
class Answer:
    """An HTTP answer: ``status`` and a JSON ``body``, or a plain ``text`` refusal."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    text: str = ""


def workspace_for_team(team_id: str) -> Workspace | None:
    if not team_id:
        return None
    return (
        Workspace.objects.active().filter(platform=Platform.MATTERMOST, external_id=team_id).first()
    )


def token_matches(workspace: Workspace, token: str) -> bool:
    """Constant-time comparison with the stored token; no stored token matches nothing."""
    expected = workspace.effective_signing_secret()
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def token_of(form: Mapping[str, str], authorization: str) -> str:
    scheme, _sep, value = authorization.partition(" ")
    if scheme.lower() == "token" and value:
        return value.strip()
    return str(form.get("token") or "")


def refusal_of_request(form: Mapping[str, str], authorization: str) -> Answer | None:
    """401 without a token, 403 for a team not connected or another token; else None."""
    token = token_of(form, authorization)
    if not token:
        return Answer(401, text=_("This request carries no Mattermost slash command token."))
    workspace = workspace_for_team(str(form.get("team_id") or ""))
    if workspace is None:
        logger.info(
            "mattermost command from team %s, which no active workspace has", form.get("team_id")
        )
        return Answer(
            403,
            text=_(
                "The Mattermost team %(team)s is not connected to Plaudit: add a chat "
                "workspace for it in Plaudit's admin."
            )
            % {"team": form.get("team_id") or "?"},
        )
    if not token_matches(workspace, token):
        return Answer(
            403,
            text=_(
                "The slash command's token does not match the one stored in Plaudit for "
                "this Mattermost team."
            ),
        )
    return None


def receipt_key(form: Mapping[str, str], now: float | None = None) -> str:
    trigger_id = str(form.get("trigger_id") or "")
    if trigger_id:
        return "mattermost:command:" + hashlib.sha256(trigger_id.encode()).hexdigest()
    window = int((time.time() if now is None else now) // FALLBACK_WINDOW_SECONDS)
    seed = "\n".join(
        [str(form.get("team_id")), str(form.get("user_id")), str(form.get("text")), str(window)]
    )
    return "mattermost:command-text:" + hashlib.sha256(seed.encode()).hexdigest()


def ephemeral(text: str) -> Answer:
    return Answer(body={"response_type": "ephemeral", "text": text})


def kudos_command(form: Mapping[str, str], authorization: str = "") -> Answer:
    """Verify the request, then give the kudos once; never raises for a person's input."""
    refusal = refusal_of_request(form, authorization)
    if refusal is not None:
        return refusal
    workspace = workspace_for_team(str(form.get("team_id") or ""))
    assert workspace is not None
    giver_id = str(form.get("user_id") or "")
    usernames: dict[int, str] = {}

    def resolve(ident: str) -> User | None:
        if ident == giver_id:
            person = person_for_user_id(workspace, ident)
            username = str(form.get("user_name") or "")
        else:
            person = person_for_username(workspace, ident)
            username = ident
        if person is not None and username:
            usernames.setdefault(person.pk, "@" + username.lstrip("@"))
        return person

    def name_of(person: User) -> str:
        return usernames.get(person.pk) or str(person)

    reply = services.give_kudos_from_chat(
        workspace=workspace,
        giver_id=giver_id,
        text=str(form.get("text") or ""),
        syntax=MATTERMOST,
        resolve=resolve,
        receipt_key=receipt_key(form),
        name_of=name_of,
    )
    if not reply.public:
        return ephemeral(reply.text)
    return Answer(
        body={
            "response_type": "in_channel",
            "text": reply.announcement,
            "extra_responses": [{"response_type": "ephemeral", "text": reply.text}],
        }
    )
