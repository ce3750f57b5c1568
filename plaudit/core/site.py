"""Plaudit's name and address, as emails and the web app manifest give them.

``PLAUDIT_SITE_NAME`` names the installation ("Acme Kudos"); ``PLAUDIT_SITE_URL`` is
where people reach it. Emails are sent from workers and from requests that may arrive
on an internal address (``127.0.0.1:8765``), so they take both from the settings, never
from the request's host.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Site:
    """What allauth's email templates read as ``current_site``: a name and a domain."""

    name: str
    domain: str


def site_url() -> str:
    return str(settings.PLAUDIT["SITE_URL"]).rstrip("/")


def current_site() -> Site:
    url = site_url()
    return Site(name=str(settings.PLAUDIT["SITE_NAME"]), domain=urlsplit(url).netloc or url)


def absolute_url(path: str) -> str:
    """``/accounts/...`` → ``https://kudos.example.com/accounts/...``; full URLs unchanged."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url() + path
