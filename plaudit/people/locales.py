"""The language and the time zone of one person, for whatever is told to them.

What Plaudit tells a person outside their own request (a notification, an email, a
daily digest, a push) is written in *their* language and time zone, never in the
sender's, the request's or the worker's: :func:`speaking_to` switches both for as long
as it is open. Away from their browser, a person without a preference of their own
reads the company's defaults (``LANGUAGE_CODE``, ``TIME_ZONE``): a worker does not
know which language their browser asks for.
"""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.utils import timezone, translation


class HasLocale(Protocol):
    language: str
    time_zone: str


def language_of(person: HasLocale) -> str:
    """Their chosen language, else the company's (``LANGUAGE_CODE``); a choice Plaudit no
    longer ships (taken out of ``LANGUAGES``) also falls back to the company's."""
    if person.language and person.language in dict(settings.LANGUAGES):
        return person.language
    return settings.LANGUAGE_CODE


def time_zone_of(person: HasLocale) -> zoneinfo.ZoneInfo:
    """Their chosen time zone, else the company's (``TIME_ZONE``); a name no longer known
    (the zone database changed) also falls back to the company's."""
    try:
        return zoneinfo.ZoneInfo(person.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextmanager
def speaking_to(person: HasLocale) -> Iterator[None]:
    """Translate and show times for ``person`` inside the block, then restore the caller's."""
    with translation.override(language_of(person)), timezone.override(time_zone_of(person)):
        yield
