"""Sending to chat through the outbox, on every platform: channel posts of recognitions,
direct messages about redemptions, and reactions mirrored onto posts.

The outbox consumer (:mod:`.subscribers`) turns an event into :class:`ChatDelivery` rows,
one per (event, workspace, target) and so once however often the event is offered; a
Celery task (:mod:`.tasks`) makes each :func:`attempt_delivery` after commit, outside
any transaction. A platform that answers 5xx, or cannot be reached, is tried again
later (:func:`~plaudit.events.backoff.next_attempt_at`), one that answers 429 no
sooner than its ``Retry-After``; the beat's :func:`due_delivery_ids` sweep picks them
up, for a day (:data:`RETRY_WINDOW`). Meanwhile nothing waits for the platform: an
outage leaves deliveries pending and Plaudit serving.

What is sent is the platform's business: a :class:`Sender` per platform (:data:`SENDERS`,
imported when first used), given platform-neutral content (:mod:`.content`).
"""

import functools
import importlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from plaudit.events.backoff import next_attempt_at
from plaudit.events.models import EventType, NotificationPreference, OutboxEvent
from plaudit.events.payloads import (
    RecognitionReacted,
    RecognitionReactionRemoved,
    RedemptionChanged,
    payload_of,
)
from plaudit.people.locales import speaking_to
from plaudit.people.models import User
from plaudit.recognition.models import Reaction, Recognition

from . import content
from .models import (
    ChatDelivery,
    ChatPost,
    ChatReaction,
    DeliveryStatus,
    Platform,
    Workspace,
)

logger = logging.getLogger(__name__)

RETRY_WINDOW = timedelta(hours=24)
# A claimed delivery is left alone this long (the platform's timeout and some).
LEASE = timedelta(seconds=90)

CHANNEL = "channel"
PERSON = "person:"
REACTIONS = "reactions:"

POST, DIRECT_MESSAGE, MIRROR_REACTIONS = "post", "direct_message", "reactions"


class DeliveryError(Exception):
    """The platform did not take it: try again later (after ``retry_after`` seconds, if
    it said so), unless ``permanent`` (a channel that does not exist, a revoked token)."""

    def __init__(
        self, error: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(error)
        self.error = error[:2000]
        self.retry_after = retry_after
        self.permanent = permanent


class Unreachable(Exception):
    """Nobody to send it to (a person with no account on the platform, an emoji it does
    not have): the delivery is skipped, not failed."""


class Sender(Protocol):
    """What a platform implements to be sent to; ``supports`` names what it can do."""

    supports: frozenset[str]

    def destination(self, workspace: Workspace) -> str:
        """Where the workspace's recognitions are posted (a channel id; "webhook" for an
        incoming webhook's own channel); "" when it posts none."""
        ...

    def post(self, workspace: Workspace, channel: str, recognition_id: int) -> str:
        """Post the recognition to ``channel`` (its :meth:`destination`, in the active
        language); its message id ("" when the platform gives none)."""
        ...

    def direct_message(
        self, workspace: Workspace, person: User, message: content.DirectMessage
    ) -> None:
        """Send ``message`` to ``person``; raise :class:`Unreachable` if they have no account."""
        ...

    def mirror_reaction(
        self, workspace: Workspace, post: ChatPost, emoji: str, *, present: bool
    ) -> None:
        """Put the app's own ``emoji`` reaction on ``post`` (``present``) or take it off."""
        ...


SENDERS: dict[str, str] = {
    Platform.SLACK: "plaudit.chat.slack.outbound.SlackSender",
    Platform.MATTERMOST: "plaudit.chat.mattermost.outbound.MattermostSender",
    Platform.TEAMS: "plaudit.chat.teams.outbound.TeamsSender",
}
"""Each platform's :class:`Sender`, by dotted path (imported when first needed)."""


@functools.cache
def sender_for(platform: str) -> Sender | None:
    path = SENDERS.get(platform)
    if path is None:
        return None
    module, _, name = path.rpartition(".")
    sender: Sender = getattr(importlib.import_module(module), name)()
    return sender


def _destination(workspace: Workspace) -> str:
    sender = sender_for(workspace.platform)
    return sender.destination(workspace) if sender is not None else ""


def _workspaces_that(can: str) -> list[Workspace]:
    return [
        workspace
        for workspace in Workspace.objects.active()
        if (sender := sender_for(workspace.platform)) is not None and can in sender.supports
    ]


# --- Queueing (the outbox consumer, in the event's transaction) ---------------------------


def queue_deliveries(*, event: OutboxEvent) -> list[ChatDelivery]:
    """The deliveries ``event`` makes, created once each; the new ones are returned (the
    caller sends them after commit)."""
    targets: list[tuple[Workspace, str]] = []
    match event.type:
        case EventType.RECOGNITION_CREATED:
            posting = [w for w in _workspaces_that(POST) if _destination(w)]
            recognition = (
                Recognition.objects.filter(pk=event.data.get("recognition")).first()
                if posting
                else None
            )
            if recognition is not None and content.is_postable(recognition):
                targets = [(workspace, CHANNEL) for workspace in posting]
        case EventType.RECOGNITION_REACTED | EventType.RECOGNITION_REACTION_REMOVED:
            targets = _reaction_targets(event)
        case (
            EventType.REDEMPTION_CREATED
            | EventType.REDEMPTION_APPROVED
            | EventType.REDEMPTION_REJECTED
            | EventType.REDEMPTION_FULFILLED
            | EventType.REDEMPTION_CANCELLED
        ):
            targets = _people_targets(event)
    created = []
    for workspace, target in targets:
        delivery, is_new = ChatDelivery.objects.get_or_create(
            event=event, workspace=workspace, target=target
        )
        if is_new:
            created.append(delivery)
    return created


def _reaction_targets(event: OutboxEvent) -> list[tuple[Workspace, str]]:
    """The workspaces the recognition was posted to, but not the one the reaction came
    from (it is there already, as the person's own)."""
    payload = payload_of(event)
    assert isinstance(payload, RecognitionReacted | RecognitionReactionRemoved)
    can = {workspace.pk for workspace in _workspaces_that(MIRROR_REACTIONS)}
    posted = set(
        ChatPost.objects.filter(recognition_id=payload.recognition, workspace__in=can).values_list(
            "workspace_id", flat=True
        )
    )
    posting = set(_posts_pending(payload.recognition).values_list("workspace_id", flat=True))
    came_from: set[int] = set()
    if isinstance(payload, RecognitionReacted):
        came_from = set(
            ChatReaction.objects.filter(reaction_id=payload.reaction).values_list(
                "workspace_id", flat=True
            )
        )
    return [
        (workspace, f"{REACTIONS}{payload.emoji}")
        for workspace in Workspace.objects.filter(pk__in=(posted | (posting & can)) - came_from)
    ]


def _posts_pending(recognition_id: int) -> QuerySet[ChatDelivery]:
    """The channel posts of a recognition still waiting for their platform (an outage)."""
    return ChatDelivery.objects.filter(
        target=CHANNEL,
        status=DeliveryStatus.PENDING,
        event__type=EventType.RECOGNITION_CREATED,
        event__data__recognition=recognition_id,
    )


def _people_targets(event: OutboxEvent) -> list[tuple[Workspace, str]]:
    """Each person the event tells (as the in-app notification does), unless they muted
    its type, in each workspace that sends direct messages."""
    payload = payload_of(event)
    people = set(payload.people_to_notify())
    muted = {
        preference.user_id
        for preference in NotificationPreference.objects.filter(user_id__in=people)
        if event.type in (preference.muted_events or [])
    }
    told = sorted(people - muted)
    return [
        (workspace, f"{PERSON}{person}")
        for workspace in _workspaces_that(DIRECT_MESSAGE)
        for person in told
    ]


# --- Sending (a Celery task, outside any transaction) ---------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: DeliveryStatus
    error: str = ""
    retry_after: float | None = None


def _claim(delivery_id: int) -> bool:
    """Take a due delivery for one attempt; another worker skips it until the lease ends."""
    now = timezone.now()
    return bool(
        ChatDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + LEASE)
    )


def attempt_delivery(delivery_id: int) -> str | None:
    """Send a pending delivery once; its status afterwards (None: not due, or taken)."""
    if not _claim(delivery_id):
        return None
    delivery = ChatDelivery.objects.select_related("workspace", "event").get(pk=delivery_id)
    outcome = _send(delivery)
    now = timezone.now()
    with transaction.atomic():
        delivery = ChatDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PENDING:
            return str(delivery.status)
        delivery.attempts += 1
        delivery.last_error = outcome.error
        if outcome.status != DeliveryStatus.PENDING:
            delivery.status = outcome.status
            delivery.completed_at, delivery.next_attempt_at = now, None
        elif now - delivery.created_at >= RETRY_WINDOW:
            delivery.status = DeliveryStatus.FAILED
            delivery.completed_at, delivery.next_attempt_at = now, None
        elif outcome.retry_after is not None:
            wait = timedelta(seconds=outcome.retry_after)
            delivery.next_attempt_at = max(now + wait, next_attempt_at(1, now=now))
        else:
            delivery.next_attempt_at = next_attempt_at(delivery.attempts, now=now)
        delivery.save()
    if delivery.status == DeliveryStatus.FAILED:
        logger.warning("Chat delivery %s failed for good: %s", delivery.pk, delivery.last_error)
    elif delivery.status == DeliveryStatus.PENDING:
        logger.info("Chat delivery %s will be retried: %s", delivery.pk, delivery.last_error)
    return str(delivery.status)


def _send(delivery: ChatDelivery) -> Outcome:
    workspace = delivery.workspace
    sender = sender_for(workspace.platform)
    if sender is None or not workspace.active:
        return Outcome(DeliveryStatus.SKIPPED, "The workspace is inactive or not supported.")
    try:
        if delivery.target == CHANNEL:
            _post(sender, delivery)
        elif delivery.target.startswith(PERSON):
            _direct_message(sender, delivery)
        elif delivery.target.startswith(REACTIONS):
            _mirror_reaction(sender, delivery)
        else:
            return Outcome(DeliveryStatus.FAILED, f"Unknown target {delivery.target!r}.")
    except Unreachable as exc:
        return Outcome(DeliveryStatus.SKIPPED, str(exc))
    except DeliveryError as exc:
        if exc.permanent:
            return Outcome(DeliveryStatus.FAILED, exc.error)
        return Outcome(DeliveryStatus.PENDING, exc.error, exc.retry_after)
    return Outcome(DeliveryStatus.SENT)


def _post(sender: Sender, delivery: ChatDelivery) -> None:
    """Once per recognition and workspace: a post already made is not made again."""
    workspace, recognition_id = delivery.workspace, int(delivery.event.data["recognition"])
    if ChatPost.objects.filter(workspace=workspace, recognition_id=recognition_id).exists():
        return
    if not Recognition.objects.filter(pk=recognition_id).exists():
        raise Unreachable("The recognition was deleted.")
    channel = _destination(workspace)
    if not channel:
        raise Unreachable("The workspace has no channel to post to.")
    # A channel has no single reader: it reads the company's language.
    with translation.override(settings.LANGUAGE_CODE):
        message_id = sender.post(workspace, channel, recognition_id)
    ChatPost.objects.get_or_create(
        workspace=workspace,
        recognition_id=recognition_id,
        defaults={"channel": channel, "message_id": message_id},
    )


def _direct_message(sender: Sender, delivery: ChatDelivery) -> None:
    person_id = int(delivery.target.removeprefix(PERSON))
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Unreachable("The person is no longer active.")
    payload = payload_of(delivery.event)
    if not isinstance(payload, RedemptionChanged):
        raise Unreachable("Nothing to tell about this event.")
    with speaking_to(person):
        message = content.redemption_message(delivery.event.type, payload, person.pk)
        sender.direct_message(delivery.workspace, person, message)


def _mirror_reaction(sender: Sender, delivery: ChatDelivery) -> None:
    """Make the app's reaction on the post match Plaudit's: present while anyone reacted
    with the emoji in Plaudit (not from this workspace), else absent. Comparing the two
    states makes a repeated or late delivery harmless."""
    emoji = delivery.target.removeprefix(REACTIONS)
    recognition_id = int(delivery.event.data["recognition"])
    workspace = delivery.workspace
    post = ChatPost.objects.filter(workspace=workspace, recognition_id=recognition_id).first()
    if post is None:
        if _posts_pending(recognition_id).filter(workspace=workspace).exists():
            raise DeliveryError("The recognition is not posted yet.")
        raise Unreachable("The recognition was not posted to this workspace.")
    present = (
        Reaction.objects.filter(recognition_id=recognition_id, emoji=emoji)
        .exclude(chat_origin__workspace=workspace)
        .exists()
    )
    if present == (emoji in post.mirrored_emoji):
        return
    sender.mirror_reaction(workspace, post, emoji, present=present)
    with transaction.atomic():
        post = ChatPost.objects.select_for_update().get(pk=post.pk)
        mirrored = set(post.mirrored_emoji)
        post.mirrored_emoji = sorted(mirrored | {emoji} if present else mirrored - {emoji})
        post.save(update_fields=["mirrored_emoji"])


def due_delivery_ids(*, limit: int = 1000) -> list[int]:
    """Pending deliveries whose next attempt is due, or whose first was never made (its
    on-commit task was lost: broker down) a minute after they were queued."""
    now = timezone.now()
    return list(
        ChatDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=60))
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
