"""The sentences chat shows, the same on every platform.

Each function returns one or more whole translated sentences in the active language:
call them inside :func:`plaudit.people.locales.speaking_to` for the person who reads
them. How a person's name is written is the platform's (``name_of``: Slack writes
``<@U123>`` so the name is a live mention, Teams ``<at>Ana</at>``, plain text elsewhere).
"""

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.core import wording
from plaudit.people.models import User

NameOf = Callable[[User], str]


def plain_name(person: User) -> str:
    return str(person)


def join_names(names: Sequence[str]) -> str:
    """``Ana``, ``Ana and Ben``, ``Ana, Ben and Cy`` in the active language."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    # Translators: the end of a list of people: "Ana, Ben and Cy".
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def given(
    recipients: Sequence[User], points: int, remaining: int, name_of: NameOf = plain_name
) -> str:
    """What the giver is told once their kudos is given."""
    names = join_names([name_of(person) for person in recipients])
    if not points:
        return _("You thanked %(names)s; you have %(left)s left to give this month.") % {
            "names": names,
            "left": wording.points(remaining),
        }
    return ngettext(
        "You gave %(points)s to %(names)s; you have %(left)s left to give this month.",
        "You gave %(points)s each to %(names)s; you have %(left)s left to give this month.",
        len(recipients),
    ) % {"points": wording.points(points), "names": names, "left": wording.points(remaining)}


def announced(
    giver: User,
    recipients: Sequence[User],
    points: int,
    message: str,
    name_of: NameOf = plain_name,
) -> str:
    """What the channel reads where the kudos was given."""
    names = join_names([name_of(person) for person in recipients])
    if not points:
        return _("%(giver)s thanked %(names)s: %(message)s") % {
            "giver": name_of(giver),
            "names": names,
            "message": message,
        }
    return ngettext(
        "%(giver)s gave %(points)s to %(names)s: %(message)s",
        "%(giver)s gave %(points)s each to %(names)s: %(message)s",
        len(recipients),
    ) % {
        "giver": name_of(giver),
        "points": wording.points(points),
        "names": names,
        "message": message,
    }


def no_account() -> str:
    """A chat user Plaudit does not know."""
    return _(
        "Plaudit has no account with the email address of your chat profile, so you "
        "cannot give kudos from here yet. Ask your HR team to add you, or sign in to "
        "Plaudit with that address."
    )


def not_linked(chat_user_id: str, link_command: str) -> str:
    """A chat user the platform gives no email address for (Teams' outgoing webhook)."""
    return _(
        "Plaudit does not know which person you are yet, so you cannot give kudos from "
        "here. Link your account with your work address (%(command)s), or ask a Plaudit "
        "administrator to link your chat account (id %(id)s)."
    ) % {"id": chat_user_id, "command": link_command}


def not_linked_person(name: str, chat_user_id: str, link_command: str) -> str:
    """A mentioned chat user Plaudit cannot link by itself (no email address given)."""
    return _(
        "Plaudit does not know which person %(name)s is yet, so they cannot be thanked "
        "here. They can link their account (%(command)s), or a Plaudit administrator can "
        "link their chat account (id %(id)s)."
    ) % {"name": name, "id": chat_user_id, "command": link_command}


def how_to_link(link_command: str) -> str:
    return _("Link your chat account to Plaudit like this: %(command)s") % {"command": link_command}


def unknown_person(name: str) -> str:
    """A mentioned chat user who is nobody in Plaudit."""
    return _(
        "%(name)s has no Plaudit account (none matches their chat email address), so "
        "they cannot be thanked here."
    ) % {"name": name}


def someone_unknown() -> str:
    """One of the people chosen in a form is nobody in Plaudit."""
    return _(
        "Someone you chose has no Plaudit account (none matches their chat email "
        "address), so they cannot be thanked here."
    )


def already_done() -> str:
    return _("This was already done.")


def try_again_later() -> str:
    return _("Plaudit could not finish this just now; please try again in a moment.")


# --- A recognition posted to a channel (Mattermost's and Teams' senders) --------------


def values_line(value_names: Sequence[str]) -> str:
    """The company values a recognition names, for a post's footer."""
    return _("Values: %(values)s") % {"values": ", ".join(value_names)}
