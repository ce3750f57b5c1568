"""Every write of recognition, and every rule about it: kudos, add-ons, comments,
and reactions (company values are :mod:`.values`, birthdays and work anniversaries
:mod:`.celebrations`).

Each use case checks before it writes (``check_*``, then the change): a bad input is
an :class:`InvalidInput` naming its field, an actor who may not do it a
:class:`NotAllowed`, so the API, the pages, the admin and the commands give the same
answer. The bounds are the models' (``MAX_*`` next to them); the doors only parse.

Lock order, shared by every function here and by the ledger: all ledger accounts a
use case touches are locked together, in primary-key order (``lock_accounts``),
before anything is checked; ``post_transaction`` then re-takes the same locks.
The giver's remaining allowance is computed under that lock, so two recognitions
from one person are serialised and cannot both spend the last points.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from plaudit.core import wording
from plaudit.core.after_commit import run_after_commit
from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.core.services import check_text, check_value
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.payloads import (
    AwardData,
    RecognitionAddedOn,
    RecognitionCommentDeleted,
    RecognitionCommented,
    RecognitionCreated,
    RecognitionReacted,
    RecognitionReactionRemoved,
)
from plaudit.ledger.models import Account, AccountKind, TransactionKind
from plaudit.ledger.selectors import allowance_remaining
from plaudit.ledger.services import (
    accounts_for,
    description_in_company_language,
    key_of,
    lock_accounts,
    post_transaction,
)
from plaudit.people.models import User

from .cache import invalidate_reports
from .errors import (
    AlreadyAddedOn,
    InsufficientAllowance,
    NoActiveRecipients,
    OwnRecognition,
    RecipientRefused,
)
from .models import (
    ADD_ON_POINTS_VALIDATORS,
    MAX_COMMENT_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_RECIPIENTS,
    POINTS_EACH_VALIDATORS,
    AddOn,
    Award,
    Comment,
    CompanyValue,
    Reaction,
    Recognition,
    RecognitionKind,
)
from .selectors import as_feed_item
from .validators import MAX_EMOJI_LENGTH, is_emoji

HASHTAG = re.compile(r"(?<![\w#])#([A-Za-z0-9][A-Za-z0-9_-]*)")


@dataclass(frozen=True)
class Gift:
    """One recipient of a new recognition and the points they get (0 is a plain thank-you)."""

    recipient: User
    points: int


def recipient_problem(*, giver: User, recipient: User) -> str | None:
    """Why ``recipient`` cannot be recognised by ``giver``, or None: the one copy of the rule."""
    if recipient.pk == giver.pk:
        return _("You cannot recognise yourself.")
    if not recipient.is_active:
        return _("%(name)s is no longer active.") % {"name": recipient}
    return None


def check_message(message: object) -> str:
    """A recognition says what they did: not blank, at most ``MAX_MESSAGE_LENGTH``
    characters. Returns it trimmed."""
    return check_text(
        message,
        field="message",
        max_length=MAX_MESSAGE_LENGTH,
        missing=_("Say what they did: a thank-you needs a message."),
    )


def check_points(points: object, validators: Sequence[Any] = POINTS_EACH_VALIDATORS) -> None:
    """Points for each recipient: a whole number within the bounds (0 is a plain thank-you)."""
    if not isinstance(points, int) or isinstance(points, bool):
        raise InvalidInput(_("Points are a whole number."), field="points")
    check_value(points, validators, field="points")


def _recipient_count_message() -> str:
    return ngettext(
        "Choose 1 to %(count)s person to thank.",
        "Choose 1 to %(count)s people to thank.",
        MAX_RECIPIENTS,
    ) % {"count": wording.number(MAX_RECIPIENTS)}


# Lazy: read in the language of whoever is refused, by the forms and serializers too.
RECIPIENT_COUNT_MESSAGE = lazy(_recipient_count_message, str)()


def check_recipient_count(count: int) -> None:
    """A thank-you names 1 to ``MAX_RECIPIENTS`` people; the API's serializer and the home
    page's form refuse any other number in these words too."""
    if not 1 <= count <= MAX_RECIPIENTS:
        raise RecipientRefused(RECIPIENT_COUNT_MESSAGE, field="recipients")


def check_recipients(giver: User, people: Sequence[User]) -> None:
    """1 to ``MAX_RECIPIENTS`` distinct, active people other than the giver."""
    check_recipient_count(len(people))
    if len({p.pk for p in people}) != len(people):
        raise RecipientRefused()
    for person in people:
        if (problem := recipient_problem(giver=giver, recipient=person)) is not None:
            raise RecipientRefused(problem)


def check_allowance(giver: User, total: int, *, each: int | None = None, people: int = 0) -> None:
    """What ``giver`` has left to give this month covers ``total`` points. The services
    check it under the allowance's lock; a form may call it early, to show the words
    beside the points (the service checks again as it writes). An add-on gives ``each``
    points to each of ``people``, and its refusal says so."""
    remaining = allowance_remaining(giver)
    if total <= remaining:
        return
    words = {
        "count": wording.number(remaining),
        "total": wording.number(total),
        "each": wording.number(each or 0),
        "people": wording.number(people),
    }
    if each is None:
        message = ngettext(
            "You have %(count)s point left to give this month; this needs %(total)s.",
            "You have %(count)s points left to give this month; this needs %(total)s.",
            remaining,
        )
    else:
        # Translators: an add-on gives %(each)s points to each of the recognition's
        # %(people)s recipients, %(total)s points in all.
        message = ngettext(
            "You have %(count)s point left to give this month; "
            "%(each)s for each of %(people)s people needs %(total)s.",
            "You have %(count)s points left to give this month; "
            "%(each)s for each of %(people)s people needs %(total)s.",
            remaining,
        )
    raise InsufficientAllowance(message % words)


def hashtag_slugs(message: str) -> list[str]:
    """The ``#slug`` words of a message, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(message):
        seen.setdefault(match.group(1).lower().rstrip("-_"), None)
    return list(seen)


def values_named_in(message: str) -> list[CompanyValue]:
    """Company values the message names as ``#slug``; other hashtags are just words."""
    slugs = hashtag_slugs(message)
    if not slugs:
        return []
    return list(CompanyValue.objects.alive().filter(slug__in=slugs))


def recognition_created(
    recognition: Recognition, gifts: Sequence[Gift], values: Iterable[CompanyValue] = ()
) -> RecognitionCreated:
    """``recognition.created``: the recipients are told, each of their own points."""
    giver = recognition.giver
    return RecognitionCreated(
        recognition=recognition.pk,
        kind=RecognitionKind(recognition.kind),
        giver=giver.pk if giver else None,
        giver_name=str(giver) if giver else "The company",
        recipients=[gift.recipient.pk for gift in gifts],
        awards=[
            AwardData(user=gift.recipient.pk, user_name=str(gift.recipient), points=gift.points)
            for gift in gifts
        ],
        values=sorted(value.slug for value in values),
        message=recognition.message,
        created_at=recognition.created_at,
    )


def _lock_allowance_and_balances(
    giver: User, recipients: Sequence[User]
) -> tuple[Account, dict[int, Account]]:
    """Lock the giver's allowance and the recipients' balances together, in pk order.

    Returns the allowance and each recipient's balance account by person id.
    """
    allowance, *balances = accounts_for(
        [
            key_of(giver, AccountKind.ALLOWANCE),
            *(key_of(person, AccountKind.BALANCE) for person in recipients),
        ]
    )
    locked = lock_accounts([allowance.pk, *(account.pk for account in balances)])
    pairs = zip(recipients, balances, strict=True)
    return locked[allowance.pk], {person.pk: locked[account.pk] for person, account in pairs}


def give_recognition(
    *,
    giver: User,
    message: str,
    gifts: Sequence[Gift],
    values: Iterable[CompanyValue] = (),
) -> Recognition:
    """Thank 1 to 20 people, paying their points from the giver's monthly allowance.

    The recognition, its awards, its values, the ledger transaction and the
    ``recognition.created`` event commit together or not at all. Values named as
    ``#slug`` in the message are added to ``values``. Returns the recognition
    shaped as a feed row (:func:`~.selectors.as_feed_item`), ready to render. Raises
    :class:`InvalidInput` for the message or a gift's points, :class:`RecipientRefused`
    for a bad recipient list (the API reports those field by field before calling
    this) and :class:`InsufficientAllowance`.
    """
    message = check_message(message)
    people = [gift.recipient for gift in gifts]
    check_recipients(giver, people)
    for gift in gifts:
        check_points(gift.points)
    total = sum(gift.points for gift in gifts)
    chosen = {value.pk: value for value in values}
    chosen.update({value.pk: value for value in values_named_in(message)})

    with transaction.atomic():
        allowance, balances = _lock_allowance_and_balances(giver, people)
        check_allowance(giver, total)
        recognition = Recognition.objects.create(giver=giver, message=message)
        # A new row has no values yet: insert the links without reading them first (.set does).
        Recognition.values.through.objects.bulk_create(
            Recognition.values.through(recognition=recognition, companyvalue=value)
            for value in chosen.values()
        )
        awards = Award.objects.bulk_create(
            Award(
                recognition=recognition,
                giver=giver,
                recipient=gift.recipient,
                points=gift.points,
                created_at=recognition.created_at,
            )
            for gift in gifts
        )
        if total:
            recognition.transaction = post_transaction(
                kind=TransactionKind.RECOGNITION,
                legs=[
                    (allowance, -total),
                    *((balances[gift.recipient.pk], gift.points) for gift in gifts),
                ],
                description=description_in_company_language(
                    # Translators: a ledger line's description.
                    gettext_noop("Recognition #%(id)s from %(giver)s"),
                    id=recognition.pk,
                    giver=giver,
                ),
                created_by=giver,
                reference=f"recognition:{recognition.pk}",
            )
            recognition.save(update_fields=["transaction"])
        record_event(
            EventType.RECOGNITION_CREATED,
            recognition_created(recognition, gifts, chosen.values()),
            key=f"recognition:{recognition.pk}:created",
        )
        run_after_commit(invalidate_reports)
    return as_feed_item(recognition, awards, chosen.values())


def add_on(*, giver: User, recognition: Recognition, points: int) -> AddOn:
    """Join a recognition with ``points`` for each of its (still active) recipients.

    Costs ``points`` times the number of those recipients from the giver's
    allowance; one add-on per person per recognition; neither the giver nor a
    recipient of the recognition may add on.
    """
    check_points(points, ADD_ON_POINTS_VALIDATORS)
    recipients = [
        award.recipient
        for award in recognition.awards.filter(add_on__isnull=True).select_related("recipient")
    ]
    if giver.pk == recognition.giver_id or giver.pk in {person.pk for person in recipients}:
        raise OwnRecognition()
    active = [person for person in recipients if person.is_active]
    if not active:
        raise NoActiveRecipients()
    total = points * len(active)

    with transaction.atomic():
        allowance, balances = _lock_allowance_and_balances(giver, active)
        if AddOn.objects.filter(recognition=recognition, giver=giver).exists():
            raise AlreadyAddedOn()
        check_allowance(giver, total, each=points, people=len(active))
        posted = post_transaction(
            kind=TransactionKind.RECOGNITION,
            legs=[(allowance, -total), *((balances[person.pk], points) for person in active)],
            description=description_in_company_language(
                # Translators: a ledger line's description.
                gettext_noop("Add-on to recognition #%(id)s from %(giver)s"),
                id=recognition.pk,
                giver=giver,
            ),
            created_by=giver,
            reference=f"recognition:{recognition.pk}:add-on:{giver.pk}",
        )
        added = AddOn.objects.create(
            recognition=recognition, giver=giver, points=points, transaction=posted
        )
        Award.objects.bulk_create(
            Award(
                recognition=recognition,
                add_on=added,
                giver=giver,
                recipient=person,
                points=points,
                created_at=added.created_at,
            )
            for person in active
        )
        record_event(
            EventType.RECOGNITION_ADDED_ON,
            RecognitionAddedOn(
                recognition=recognition.pk,
                add_on=added.pk,
                giver=giver.pk,
                giver_name=str(giver),
                points=points,
                recipients=[person.pk for person in active],
                message=recognition.message,
                created_at=added.created_at,
            ),
            key=f"recognition:{recognition.pk}:add-on:{giver.pk}",
        )
        run_after_commit(invalidate_reports)
    return added


def _people_involved(recognition: Recognition) -> list[int]:
    """The giver and the recipients: whom comments and reactions concern."""
    ids = list(
        recognition.awards.filter(add_on__isnull=True).values_list("recipient_id", flat=True)
    )
    return [recognition.giver_id, *ids] if recognition.giver_id else ids


def check_comment(body: object) -> str:
    """A comment is text, not blank, at most ``MAX_COMMENT_LENGTH`` characters; trimmed."""
    return check_text(
        body, field="body", max_length=MAX_COMMENT_LENGTH, missing=_("Write a comment first.")
    )


def add_comment(*, author: User, recognition: Recognition, body: str) -> Comment:
    body = check_comment(body)
    with transaction.atomic():
        comment = Comment.objects.create(recognition=recognition, author=author, body=body)
        record_event(
            EventType.RECOGNITION_COMMENTED,
            RecognitionCommented(
                recognition=recognition.pk,
                comment=comment.pk,
                author=author.pk,
                author_name=str(author),
                recipients=[pk for pk in _people_involved(recognition) if pk != author.pk],
                body=body,
                created_at=comment.created_at,
            ),
            key=f"comment:{comment.pk}:created",
        )
    return comment


def check_can_remove_comment(actor: User, comment: Comment) -> None:
    """Its author takes it back; HR admins remove any (moderation)."""
    if not comment.removable_by(actor):
        raise NotAllowed(_("Only the author or an HR admin may remove a comment."))


def delete_comment(*, actor: User, comment: Comment) -> None:
    check_can_remove_comment(actor, comment)
    with transaction.atomic():
        deleted = RecognitionCommentDeleted(
            recognition=comment.recognition_id, comment=comment.pk, author=comment.author_id
        )
        comment.delete()
        record_event(
            EventType.RECOGNITION_COMMENT_DELETED, deleted, key=f"comment:{deleted.comment}:deleted"
        )


NOT_ONE_EMOJI = gettext_lazy("Send one emoji, such as 👏 or 🎉.")


def check_emoji(emoji: object) -> str:
    """A reaction is one emoji (with its modifiers, joiners and variation selectors), at
    most ``MAX_EMOJI_LENGTH`` characters, as sent: nothing is trimmed."""
    if not isinstance(emoji, str) or len(emoji) > MAX_EMOJI_LENGTH or not is_emoji(emoji):
        raise InvalidInput(NOT_ONE_EMOJI, field="emoji")
    return emoji


def react(*, user: User, recognition: Recognition, emoji: str) -> tuple[Reaction, bool]:
    """Add ``user``'s ``emoji``; reacting twice with the same one keeps the first.

    Returns the reaction and whether it is new. The unique constraint decides
    when two identical requests race.
    """
    emoji = check_emoji(emoji)
    with transaction.atomic():
        try:
            with transaction.atomic():
                reaction = Reaction.objects.create(recognition=recognition, user=user, emoji=emoji)
        except IntegrityError:
            return Reaction.objects.get(recognition=recognition, user=user, emoji=emoji), False
        record_event(
            EventType.RECOGNITION_REACTED,
            RecognitionReacted(
                recognition=recognition.pk,
                reaction=reaction.pk,
                user=user.pk,
                user_name=str(user),
                emoji=emoji,
                recipients=[pk for pk in _people_involved(recognition) if pk != user.pk],
                created_at=reaction.created_at,
            ),
            key=f"reaction:{reaction.pk}:created",
        )
    return reaction, True


def remove_reaction(*, user: User, recognition: Recognition, emoji: str) -> bool:
    """Take ``user``'s ``emoji`` back; False if there was none."""
    with transaction.atomic():
        mine = Reaction.objects.filter(recognition=recognition, user=user, emoji=emoji)
        deleted = mine.delete()[0]
        if deleted:
            record_event(
                EventType.RECOGNITION_REACTION_REMOVED,
                RecognitionReactionRemoved(recognition=recognition.pk, user=user.pk, emoji=emoji),
            )
    return bool(deleted)
