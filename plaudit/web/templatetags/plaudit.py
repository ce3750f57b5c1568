"""Template filters and tags for Plaudit pages: ``{% load plaudit %}``."""

import uuid
from datetime import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext, pgettext

from plaudit.core import wording
from plaudit.people.mfa import lacks_required_mfa
from plaudit.people.roles import Role, is_hr_admin

register = template.Library()


@register.filter
def points(value: Any) -> str:
    """``1234`` → ``1,234 points``; ``1`` → ``1 point`` (see :mod:`plaudit.core.wording`)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return wording.points(number)


@register.filter
def number(value: Any) -> str:
    """``2500`` → ``2,500`` (see :mod:`plaudit.core.wording`)."""
    try:
        return wording.number(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def points_each(awards: Any) -> int | None:
    """The points every one of ``awards`` carries when they all carry the same, else None.

    A feed line then says "10 points each" rather than a total nobody can split.
    """
    amounts = {award.points for award in awards}
    return amounts.pop() if len(amounts) == 1 else None


@register.simple_tag
def thanked_people(awards: Any, each: int | None) -> SafeString:
    """The people a feed line thanks, in bold, with each one's points when they differ
    (``each`` is None): ``<strong>Ben Ng</strong> (10 points), <strong>Chloe</strong> (25 points)``.

    One value for the line's sentence (``{% blocktranslate %}… thanked {{ people }}``), so the
    translation places the list where its language puts it.
    """
    names = []
    for award in awards:
        name = award.recipient.get_full_name() or award.recipient.email
        if each is None and award.points:
            names.append(format_html("<strong>{}</strong> ({})", name, points(award.points)))
        else:
            names.append(format_html("<strong>{}</strong>", name))
    # Translators: between the names of the people a thank-you is for: "Ada, Ben, Chloe".
    return format_html_join(gettext(", "), "{}", ((name,) for name in names))


@register.filter
def signed_points(value: Any) -> str:
    """Ledger lines read better signed: ``+50 points`` / ``-20 points`` (with a true minus sign)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "+" if number > 0 else "\u2212" if number < 0 else ""
    return sign + points(abs(number))


@register.filter
def relative_time(value: datetime | None) -> str:
    """``3 minutes ago`` / ``in 2 days``, with "just now" for the last minute.

    In the active language: Django's ``timesince`` says the span with its own translated
    plurals ("3 Minuten"), and one whole phrase per direction places it.
    """
    if not value:
        return ""
    now = timezone.now()
    if abs((now - value).total_seconds()) < 60:
        # Translators: a moment less than a minute ago (or ahead), as in a feed.
        return pgettext("relative time", "just now")
    if value > now:
        # Translators: a moment ahead. %(time)s is Django's span as a bare phrase ("2 days",
        # German "2 Tage"): choose words that fit it as it is (German "noch %(time)s").
        return pgettext("relative time", "in %(time)s") % {"time": timesince(now, value, depth=1)}
    # Translators: a moment past. %(time)s is Django's span as a bare phrase ("3 minutes",
    # German "3 Minuten"): choose words that fit it as it is (German "%(time)s her").
    return pgettext("relative time", "%(time)s ago") % {"time": timesince(value, now, depth=1)}


@register.simple_tag
def time_ago(value: datetime | None) -> str:
    """A ``<time>`` element: the relative phrase, the exact moment in its title for hovering."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        wording.moment(value),
        relative_time(value),
    )


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str) -> str:
    """A navigation link marked ``aria-current="page"`` when it is the page being shown."""
    from django.urls import reverse

    request: HttpRequest | None = context.get("request")
    url = reverse(url_name)
    current = request is not None and (
        request.path == url or (url != "/" and request.path.startswith(url))
    )
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter
def is_hr(user: Any) -> bool:
    return is_hr_admin(user)


@register.filter
def is_manager(user: Any) -> bool:
    """Anyone with reports to look after, or the manager role."""
    return bool(
        user is not None
        and user.is_authenticated
        and (getattr(user, "role", None) == Role.MANAGER or is_hr_admin(user))
    )


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh key per drawn form: resubmitting that form cannot do the work twice."""
    return str(uuid.uuid4())


@register.filter
def must_enrol_mfa(user: Any) -> bool:
    """Whether this person's role must use MFA and they have not enrolled yet."""
    return lacks_required_mfa(user)


@register.simple_tag
def password_sign_in_offered(request: HttpRequest) -> bool:
    """The sign-in page's email-and-password form: always, unless ``SSO_ONLY`` is on, when
    only ``/accounts/login/?password`` shows it (the break-glass superuser's way in)."""
    from django.conf import settings

    return not settings.SSO_ONLY or "password" in request.GET
