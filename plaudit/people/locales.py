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
from datetime import tzinfo
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils import timezone, translation

from plaudit.core.calendar import company_zone


class HasLocale(Protocol):
    language: str
    time_zone: str


def chosen_language(person: HasLocale) -> str | None:
    """The language the person chose, if Plaudit ships it; None: no choice of their own
    (in a request their browser's then counts, elsewhere the company's)."""
    chosen = person.language
    if chosen and chosen in dict(settings.LANGUAGES) and translation.check_for_language(chosen):
        return chosen
    return None


def language_of(person: HasLocale) -> str:
    """Their chosen language, else the company's (``LANGUAGE_CODE``); a choice Plaudit no
    longer ships (taken out of ``LANGUAGES``) also falls back to the company's."""
    return chosen_language(person) or settings.LANGUAGE_CODE


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def time_zone_of(person: HasLocale) -> tzinfo:
    """Their chosen time zone, else the company's (``TIME_ZONE``); a name no longer known
    (the zone database changed) also falls back to the company's."""
    zone = _zone(person.time_zone) if person.time_zone else None
    return zone if zone is not None else company_zone()


@contextmanager
def speaking_to(person: HasLocale) -> Iterator[None]:
    """Translate and show times for ``person`` inside the block, then restore the caller's."""
    with translation.override(language_of(person)), timezone.override(time_zone_of(person)):
        yield
