"""Numbers and dates in the words people read, formatted by Django's localisation.

Every number a person reads (pages, emails, notifications, problem messages) goes
through :func:`number` or :func:`points` here, and the ``points`` and ``number``
template filters call them: ``number_format`` with grouping forced, so ``2500``
reads "2,500" in the active language. ``USE_THOUSAND_SEPARATOR`` stays off on
purpose: it would also group every id that a template puts in a URL or an
attribute. The API's JSON keeps numbers as numbers; only its messages are words.
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import ngettext


def number(value: int) -> str:
    """``2500`` → ``2,500``."""
    return formats.number_format(value, force_grouping=True)


def points(value: int) -> str:
    """``1`` → ``1 point``; ``2500`` → ``2,500 points``."""
    return ngettext("%(count)s point", "%(count)s points", abs(value)) % {"count": number(value)}


def moment(value: datetime) -> str:
    """A date and time in the current time zone, in the language's own format."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def month(value: date) -> str:
    """``March 2025``, in the language's own format."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")
