"""Mattermost's :class:`~plaudit.chat.delivery.Sender`: recognitions posted to a channel
(:mod:`.posts`), and direct messages from the bot, with signed Approve and Reject buttons
on a redemption waiting for the reader's decision (:mod:`.actions`)."""

from plaudit.people.models import User

from .. import content
from ..delivery import DIRECT_MESSAGE, POST, Unreachable
from ..http_calls import delivery_errors
from ..models import ChatPost, Workspace
from . import actions, posts
from .accounts import mattermost_user_for_person
from .client import MattermostClient


class MattermostSender:
    supports = frozenset({POST, DIRECT_MESSAGE})

    def destination(self, workspace: Workspace) -> str:
        return posts.destination(workspace)

    def post(self, workspace: Workspace, channel: str, recognition_id: int) -> str:
        with delivery_errors("mattermost post"):
            return posts.send_recognition_post(workspace, recognition_id)

    def direct_message(
        self, workspace: Workspace, person: User, message: content.DirectMessage
    ) -> None:
        with delivery_errors("mattermost direct message"):
            user_id = mattermost_user_for_person(workspace, person)
            if not user_id:
                raise Unreachable("The person has no Mattermost account in this workspace.")
            client = MattermostClient(workspace)
            channel = client.direct_channel(str(client.me()["id"]), user_id)
            attachment = actions.message_attachment(workspace, message, user_id)
            client.create_post(str(channel["id"]), "", {"attachments": [attachment]})

    def mirror_reaction(
        self, workspace: Workspace, post: ChatPost, emoji: str, *, present: bool
    ) -> None:
        raise Unreachable("Reactions are mirrored on Slack only.")
