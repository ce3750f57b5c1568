"""Teams' :class:`~plaudit.chat.delivery.Sender`: recognitions posted to a channel as
Adaptive Cards through the workspace's incoming webhook (:mod:`.posts`).

An outgoing webhook can only answer the message that called it, and an incoming webhook
only posts to its one channel: without a Bot Framework bot there is no way to write to
one person, so Teams gets no direct messages and no mirrored reactions.
"""

from plaudit.people.models import User

from .. import content
from ..delivery import POST, Unreachable
from ..http_calls import delivery_errors
from ..models import ChatPost, Workspace
from . import posts

WEBHOOK = "webhook"


class TeamsSender:
    supports = frozenset({POST})

    def destination(self, workspace: Workspace) -> str:
        return WEBHOOK if workspace.webhook_url else ""

    def post(self, workspace: Workspace, channel: str, recognition_id: int) -> str:
        with delivery_errors("teams incoming webhook"):
            return posts.send_recognition_post(workspace, recognition_id)

    def direct_message(
        self, workspace: Workspace, person: User, message: content.DirectMessage
    ) -> None:
        raise Unreachable("Teams' webhooks cannot write to one person.")

    def mirror_reaction(
        self, workspace: Workspace, post: ChatPost, emoji: str, *, present: bool
    ) -> None:
        raise Unreachable("Teams' webhooks cannot react to a post.")
