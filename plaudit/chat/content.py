"""What Plaudit sends to chat, before any platform shapes it: a recognition's post, a
direct message with its buttons, a person's home summary.

Each is plain data with its sentences already written in the active language (call the
builders inside ``translation.override`` or :func:`~plaudit.people.locales.speaking_to`),
so Slack's Block Kit, Mattermost's attachments and Teams' Adaptive Cards render the same
words. Names stay data (``giver``, ``recipients``), so each platform can write them its
own way (a live mention where it can).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.core import wording
from plaudit.core.site import absolute_url
from plaudit.events import messages
from plaudit.events.models import EventType
from plaudit.events.payloads import RedemptionChanged
from plaudit.ledger.selectors import points_of
from plaudit.people.models import User
from plaudit.recognition.models import Award, Recognition, RecognitionKind
from plaudit.recognition.selectors import feed, recognitions_for_feed

from .formatting import NameOf, join_names, plain_name


def is_postable(recognition: Recognition) -> bool:
    """Whether a recognition is posted to the chat channels: every one, for now.

    The one place that decides it: private kudos (issue 22) will not be posted.
    """
    return True


def recognition_url(recognition_id: int) -> str:
    return absolute_url(reverse("web:recognition", args=[recognition_id]))


@dataclass(frozen=True)
class RecognitionPost:
    """A recognition as a channel reads it; ``headline`` names people by ``{giver}`` and
    ``{recipients}`` placeholders, which the platform fills with its own mentions."""

    recognition_id: int
    kind: str
    giver: User | None
    recipients: list[User]
    points_each: int
    values: list[str]
    message: str
    url: str
    # Whole sentences in the company's language, with the labels around them.
    headline: str
    points_label: str
    values_label: str
    link_label: str
    fallback: str  # the plain text a notification or an old client shows


def recognition_post(recognition_id: int, *, name_of: NameOf = plain_name) -> RecognitionPost:
    """The post of recognition ``recognition_id`` (committed), in the active language.

    ``name_of`` writes a person in the headline (plain names by default): Slack gives
    ``<@U123>`` so the name is a live mention.
    """
    recognition = recognitions_for_feed().get(pk=recognition_id)
    awards: list[Award] = recognition.recipients  # type: ignore[attr-defined]
    recipients = [award.recipient for award in awards]
    amounts = {award.points for award in awards}
    # The API may give each recipient a different amount: then the post says the total.
    points_each = amounts.pop() if len(amounts) == 1 else 0
    total = sum(award.points for award in awards)
    values = [value.name for value in recognition.company_values]  # type: ignore[attr-defined]
    giver = recognition.giver

    def headline_with(write: NameOf) -> str:
        names = join_names([write(person) for person in recipients])
        giver_name = write(giver) if giver else ""
        if total and not points_each:
            return _("%(giver)s gave %(points)s in all to %(names)s") % {
                "giver": giver_name,
                "points": wording.points(total),
                "names": names,
            }
        return _headline(recognition.kind, giver_name, names, points_each, len(recipients))

    headline, plain = headline_with(name_of), headline_with(plain_name)
    return RecognitionPost(
        recognition_id=recognition.pk,
        kind=recognition.kind,
        giver=giver,
        recipients=recipients,
        points_each=points_each,
        values=values,
        message=recognition.message,
        url=recognition_url(recognition.pk),
        headline=headline,
        points_label=wording.points(points_each or total) if total else _("A thank-you"),
        values_label=", ".join(values),
        link_label=_("Open in Plaudit"),
        # Translators: a chat post's plain text: "Ana gave 10 points to Ben: Thanks!".
        fallback=_("%(headline)s: %(message)s")
        % {"headline": plain, "message": recognition.message},
    )


def _headline(kind: str, giver: str, names: str, points_each: int, count: int) -> str:
    """One whole sentence per case: a celebration, a thank-you, points for one or each."""
    if kind == RecognitionKind.BIRTHDAY:
        return _("Happy birthday, %(names)s!") % {"names": names}
    if kind == RecognitionKind.ANNIVERSARY:
        return _("Happy work anniversary, %(names)s!") % {"names": names}
    if not points_each:
        return _("%(giver)s thanked %(names)s") % {"giver": giver, "names": names}
    return ngettext(
        "%(giver)s gave %(points)s to %(names)s",
        "%(giver)s gave %(points)s each to %(names)s",
        count,
    ) % {"giver": giver, "points": wording.points(points_each), "names": names}


# --- Direct messages --------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: str = ""  # "primary", "danger" or plain


@dataclass(frozen=True)
class DirectMessage:
    """A message to one person: a title, a body, a link and perhaps buttons."""

    title: str
    body: str
    url: str
    link_label: str
    buttons: list[Button] = field(default_factory=list)

    @property
    def fallback(self) -> str:
        return f"{self.title}. {self.body}".strip() if self.body else self.title


APPROVE_ACTION = "plaudit_redemption_approve"
REJECT_ACTION = "plaudit_redemption_reject"


def redemption_message(
    event_type: str, payload: RedemptionChanged, person_id: int
) -> DirectMessage:
    """The notification's own title, body and link (:mod:`plaudit.events.messages`), with
    Approve and Reject buttons on a request waiting for approval. The buttons' value is
    the redemption id; the click is checked by the rewards service like any other."""
    told = messages.describe(event_type, payload, person_id)
    buttons = []
    if event_type == EventType.REDEMPTION_CREATED:
        value = str(payload.redemption)
        buttons = [
            Button(_("Approve"), APPROVE_ACTION, value, "primary"),
            Button(_("Reject"), REJECT_ACTION, value, "danger"),
        ]
    return DirectMessage(
        title=told.title,
        body=told.body,
        url=absolute_url(told.url),
        link_label=_("Open in Plaudit"),
        buttons=buttons,
    )


# --- Home ---------------------------------------------------------------------------------

HOME_RECOGNITIONS = 5


@dataclass(frozen=True)
class HomeLine:
    text: str
    message: str
    url: str


@dataclass(frozen=True)
class Home:
    """A person's balance, allowance left this month and last thank-yous."""

    title: str
    balance_label: str
    balance: str
    allowance_label: str
    allowance: str
    recent_label: str
    recent: list[HomeLine]
    empty: str
    link_label: str
    url: str


def home(person: User) -> Home:
    """What the App Home shows ``person``, in the active language (theirs)."""
    figures = points_of(person)
    recent = [
        HomeLine(
            text=_home_line(recognition, person),
            message=recognition.message,
            url=recognition_url(recognition.pk),
        )
        for recognition in feed(person=person)[:HOME_RECOGNITIONS]
    ]
    return Home(
        title=_("Your Plaudit"),
        balance_label=_("Your balance"),
        balance=wording.points(figures["balance"]),
        allowance_label=_("Left to give this month"),
        allowance=wording.points(figures["allowance_remaining"]),
        recent_label=_("Your last thank-yous"),
        recent=recent,
        empty=_("No thank-yous yet. Say thank you with /kudos."),
        link_label=_("Open Plaudit"),
        url=absolute_url(reverse("web:home")),
    )


def _home_line(recognition: Recognition, person: User) -> str:
    awards: list[Award] = recognition.recipients  # type: ignore[attr-defined]
    names = join_names([str(award.recipient) for award in awards])
    giver = str(recognition.giver) if recognition.giver else ""
    if recognition.giver_id == person.pk:
        return _("You thanked %(names)s") % {"names": names}
    mine = next((award.points for award in awards if award.recipient_id == person.pk), 0)
    if not giver:
        return _headline(recognition.kind, giver, names, mine, len(awards))
    if mine:
        return _("%(giver)s recognised you with %(points)s") % {
            "giver": giver,
            "points": wording.points(mine),
        }
    return _("%(giver)s recognised you") % {"giver": giver}


def unlinked_home() -> Home:
    """The App Home of a chat user Plaudit does not know."""
    return Home(
        title=_("Plaudit"),
        balance_label="",
        balance="",
        allowance_label="",
        allowance="",
        recent_label="",
        recent=[],
        empty=_(
            "Plaudit has no account with the email address of your chat profile, so there "
            "is nothing to show you here yet. Ask your HR team to add you, or sign in to "
            "Plaudit with that address."
        ),
        link_label=_("Open Plaudit"),
        url=absolute_url(reverse("web:home")),
    )
