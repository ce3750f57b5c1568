"""Recognition's consumer of outbox events: the feed on every open page follows along."""

from plaudit.events.dispatch import live_consumer
from plaudit.events.models import EventType, OutboxEvent
from plaudit.events.payloads import (
    RecognitionCommentDeleted,
    RecognitionCommented,
    RecognitionCreated,
    RecognitionReacted,
    RecognitionReactionRemoved,
    payload_of,
)
from plaudit.events.realtime import push_to_everyone

from .selectors import feed_counts

HANDLED = frozenset(
    {
        EventType.RECOGNITION_CREATED,
        EventType.RECOGNITION_COMMENTED,
        EventType.RECOGNITION_COMMENT_DELETED,
        EventType.RECOGNITION_REACTED,
        EventType.RECOGNITION_REACTION_REMOVED,
    }
)


@live_consumer
def update_open_feeds(event: OutboxEvent) -> None:
    """Open feeds offer a new recognition, and show a changed one's counts as they are now.

    The giver's own feed has the new recognition already (the page adds it); the
    counts are read when pushed, and only if some socket is open to hear them. Any other
    event's payload is not read.
    """
    if event.type not in HANDLED:
        return
    match payload_of(event):
        case RecognitionCreated(recognition=recognition, giver=giver):
            push_to_everyone(
                lambda: {"type": "feed.new", "recognition": recognition, "giver": giver}
            )
        case (
            RecognitionCommented(recognition=recognition)
            | RecognitionCommentDeleted(recognition=recognition)
            | RecognitionReacted(recognition=recognition)
            | RecognitionReactionRemoved(recognition=recognition)
        ):
            push_to_everyone(
                lambda: {
                    "type": "feed.counts",
                    "recognition": recognition,
                    **feed_counts(recognition),
                }
            )
