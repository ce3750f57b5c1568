"""The ``/kudos`` command, read the same way on every platform.

``/kudos @ana @ben 10 for the on-call weekend #teamwork`` thanks Ana and Ben with ten
points each; the amount is optional (none is a plain thank-you, 0 points). The leading
words are the people (mentions) and at most one amount, in any order; the rest is the
message, ``#slug`` words included (they name company values, as on the web:
:func:`plaudit.recognition.services.hashtag_slugs`).

Each platform writes a mention its own way (:class:`MentionSyntax`): Slack
``<@U123>`` or ``<@U123|ana>``, Mattermost ``@ana``, Teams ``<at>Ana</at>``; the
parser only finds them, the platform's resolver says who they are. Nothing here reads
the database, and :func:`parse_kudos` never raises: a text it cannot read is a
:class:`ParseError` with a translated sentence to show.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plaudit.recognition.services import hashtag_slugs

# An amount: "10", "+10", "10pts", "10 points" (the unit may be the next word).
AMOUNT = re.compile(r"^\+?(?P<n>-?\d{1,9})(?:pts?|points?)?$", re.IGNORECASE)
UNIT = re.compile(r"^(?:pts?|points?)$", re.IGNORECASE)
# Words between leading mentions that join them: "@ana and @ben", "@ana, @ben".
JOINERS = {",", "&", "and", "+"}
HELP_WORDS = {"", "help", "?"}


@dataclass(frozen=True)
class MentionSyntax:
    """How one platform writes a mention: ``pattern`` matches one at the start of the
    text, with the group ``id`` (what the resolver reads) and optionally ``label``.
    ``command`` is how a person asks for a kudos there (Teams has no slash command)."""

    name: str
    pattern: re.Pattern[str]
    example: str
    command: str = "/kudos"


SLACK = MentionSyntax(
    "slack",
    re.compile(r"<@(?P<id>[A-Z0-9]+)(?:\|(?P<label>[^>]*))?>"),
    "@ana @ben 10 for the on-call weekend #teamwork",
)
MATTERMOST = MentionSyntax(
    "mattermost",
    re.compile(r"@(?P<id>[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]|[A-Za-z0-9])"),
    "@ana @ben 10 for the on-call weekend #teamwork",
)
TEAMS = MentionSyntax(
    "teams",
    re.compile(r"<at>(?P<id>[^<]*)</at>", re.IGNORECASE),
    "@ana @ben 10 for the on-call weekend #teamwork",
    command="@Plaudit kudos",
)


@dataclass(frozen=True)
class Kudos:
    """What a ``/kudos`` text says: whom (mention ids, in order, without repeats), how
    many points each, the message (with its ``#slug`` words) and those value slugs."""

    mentions: list[str]
    points: int
    message: str
    value_slugs: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParseError:
    """A text that is not a kudos; ``message`` is a translated sentence for the giver."""

    message: str


def usage(syntax: MentionSyntax) -> str:
    # Translators: the command comes first ("/kudos", "@Plaudit kudos"), then an example.
    return _("Thank someone like this: %(command)s %(example)s") % {
        "command": syntax.command,
        "example": syntax.example,
    }


def parse_kudos(text: str, syntax: MentionSyntax = SLACK) -> Kudos | ParseError:
    """Read a ``/kudos`` text; never raises."""
    rest = (text or "").strip()
    if rest.lower() in HELP_WORDS:
        return ParseError(usage(syntax))
    mentions: dict[str, None] = {}
    labels: dict[str, str] = {}
    points: int | None = None
    while rest:
        mention = syntax.pattern.match(rest)
        if mention:
            ident = mention.group("id").strip()
            if ident:
                mentions.setdefault(ident, None)
                label = mention.groupdict().get("label")
                if label:
                    labels[ident] = label
            rest = rest[mention.end() :].lstrip()
            continue
        word, _sep, after = rest.partition(" ")
        stripped = word.rstrip(",")
        if stripped.lower() in JOINERS or word in JOINERS:
            rest = after.lstrip()
            continue
        amount = AMOUNT.match(stripped)
        if amount and points is None and mentions:
            points = int(amount.group("n"))
            rest = after.lstrip()
            unit, _sep, after_unit = rest.partition(" ")
            if UNIT.match(unit):
                rest = after_unit.lstrip()
            continue
        if amount and points is None and not mentions:
            # The amount first: "/kudos 10 @ana for …".
            ahead = after.lstrip()
            unit, _sep, after_unit = ahead.partition(" ")
            if UNIT.match(unit):
                ahead = after_unit.lstrip()
            if syntax.pattern.match(ahead):
                points = int(amount.group("n"))
                rest = ahead
                continue
        break
    if not mentions:
        return ParseError(_("Name the people to thank first. %(usage)s") % {"usage": usage(syntax)})
    if points is not None and points < 0:
        return ParseError(_("Points are a whole number, 0 or more."))
    message = rest.strip()
    if not message:
        return ParseError(
            _("Say what they did: a thank-you needs a message. %(usage)s")
            % {"usage": usage(syntax)}
        )
    return Kudos(
        mentions=list(mentions),
        points=points or 0,
        message=message,
        value_slugs=hashtag_slugs(message),
        labels=labels,
    )
