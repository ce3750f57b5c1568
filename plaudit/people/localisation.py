"""Each request in the language and time zone of the person who makes it.

The language: the person's own choice (``User.language``), else what Django's
``LocaleMiddleware`` chose (the switcher's cookie, then ``Accept-Language``), else the
company's ``LANGUAGE_CODE``. The time zone: the person's (``User.time_zone``), else the
company's ``TIME_ZONE``.

Two doors reach a person: a session, which :class:`PersonLocaleMiddleware` sees (after
``AuthenticationMiddleware`` and ``LocaleMiddleware``); and an API token, which DRF
checks inside the view, where
:class:`~plaudit.people.authentication.CachedUserJWTAuthentication` (or, for an API
token, :class:`~plaudit.tokens.authentication.TokenAuthentication`) calls
:func:`activate_for` once it has found the person. Either way ``LocaleMiddleware``
writes ``Content-Language`` (the language active as the response leaves) and
``Vary: Accept-Language`` on the way out. Outside a request (emails, notifications,
tasks) :func:`~plaudit.people.locales.speaking_to` does the same job.

Both choices last for one request: :func:`reset_after_request` (on ``request_finished``)
puts the thread back on what it spoke before (:func:`remember_before_request`, on
``request_started``), the company's defaults as a rule, so the next request, a task run
inline or a test does not inherit the last person's.
"""

import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.local import Local
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .locales import chosen_language, time_zone_of
from .models import User

V = TypeVar("V", bound=Callable[..., Any])


def activate_for(request: HttpRequest | None, person: User) -> None:
    """Read and write the rest of this request in ``person``'s language and time zone."""
    language = chosen_language(person)
    if language is not None:
        translation.activate(language)
        if request is not None:
            request.LANGUAGE_CODE = translation.get_language()
    timezone.activate(time_zone_of(person))


_before_request = Local()


def remember_before_request(**kwargs: Any) -> None:
    """What this thread spoke before the request (on ``request_started``, which comes
    before every middleware): usually the company's defaults; in a test, perhaps
    ``translation.override``'s language."""
    _before_request.language = translation.get_language()
    _before_request.zone = timezone.get_current_timezone_name()


def reset_after_request(**kwargs: Any) -> None:
    """Back to what the thread spoke before the request, once its response has been sent."""
    language = getattr(_before_request, "language", settings.LANGUAGE_CODE)
    zone = getattr(_before_request, "zone", settings.TIME_ZONE)
    if language is None:
        translation.deactivate_all()
    elif language == settings.LANGUAGE_CODE:
        translation.deactivate()
    else:
        translation.activate(language)
    if zone == settings.TIME_ZONE:
        timezone.deactivate()
    else:
        timezone.activate(zoneinfo.ZoneInfo(zone))


def impersonal(view: V) -> V:
    """Mark a view that answers everyone alike (health probes, metrics): no person's
    language is looked up for it, so a signed-in browser's request still loads neither
    its session nor its user."""
    view.impersonal = True  # type: ignore[attr-defined]
    return view


class PersonLocaleMiddleware:
    """A signed-in person's language and time zone for a session request.

    After ``AuthenticationMiddleware`` (it reads ``request.user``) and ``LocaleMiddleware``
    (whose choice it overrides when the person has one of their own). It acts once the
    view is known (``process_view``), so an :func:`impersonal` view costs no query.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        response: HttpResponse = self.get_response(request)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if getattr(view, "impersonal", False):
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_for(request, user)
