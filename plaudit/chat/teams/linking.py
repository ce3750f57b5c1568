"""People link their own Teams account: ``@Plaudit link ana@acme.example``.

Teams' outgoing webhook gives no email address, so a person proves theirs the way a
password reset does: Plaudit mails the address a signed link (one day), and the person,
signed in to Plaudit as that address's owner, confirms on a page (a POST: mail scanners
that open links confirm nothing). The thread is told the same thing whether or not the
address is someone's, and one address is mailed at most once per ten minutes per Teams
user, so the command neither reveals who has an account nor floods a mailbox.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from plaudit.core.site import absolute_url, current_site
from plaudit.people.locales import speaking_to
from plaudit.people.models import User

from .. import services
from ..models import LinkedAccount, Platform, Workspace

logger = logging.getLogger(__name__)

SALT = "plaudit.chat.teams.link"
MAX_AGE_SECONDS = 24 * 3600
RESEND_AFTER_SECONDS = 10 * 60


@dataclass(frozen=True)
class LinkRequest:
    workspace: Workspace
    teams_user_id: str
    teams_name: str
    person: User


def request_link(workspace: Workspace, teams_user: dict[str, Any], address: str) -> str:
    """Mail ``address`` a link that connects ``teams_user`` to its owner; the sentence
    for the thread (the same whether or not the address is someone's)."""
    address = address.strip().strip("<>").removeprefix("mailto:")
    answer = _(
        "If %(address)s is the address of someone in Plaudit, a link to confirm is on its "
        "way there. Open it within a day, signed in to Plaudit."
    ) % {"address": address}
    person = services.person_with_email(address)
    user_id = str(teams_user.get("id") or "")
    if person is None or not user_id:
        return answer
    throttle = f"chat:teams:link:{workspace.pk}:{user_id}:{person.pk}"
    if not cache.add(throttle, 1, RESEND_AFTER_SECONDS):
        return answer
    token = signing.dumps(
        {"w": workspace.pk, "u": user_id, "n": str(teams_user.get("name") or ""), "p": person.pk},
        salt=SALT,
    )
    link = absolute_url(reverse("chat:teams-link", args=[token]))
    with speaking_to(person):
        subject = _("Connect your Teams account to %(site)s") % {"site": current_site().name}
        body = _(
            "Someone in Microsoft Teams, shown as %(name)s, asked to give kudos from Teams as "
            "you. If it was you, open this link within a day and confirm:\n\n%(link)s\n\n"
            "If it was not you, ignore this email: nothing changes."
        ) % {"name": teams_user.get("name") or user_id, "link": link}
    send_mail(subject, body, None, [person.email])
    return answer


def read_link(token: str) -> LinkRequest | None:
    """The request a link carries, or None (forged, expired, or its workspace gone)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    workspace = Workspace.objects.active().filter(platform=Platform.TEAMS, pk=data.get("w")).first()
    person = User.objects.filter(pk=data.get("p"), is_active=True).first()
    if workspace is None or person is None or not data.get("u"):
        return None
    return LinkRequest(workspace, str(data["u"]), str(data.get("n") or ""), person)


def confirm_link(request: LinkRequest) -> LinkedAccount:
    """Link the Teams user to the person (replacing any earlier link of that user)."""
    account = services.remember_link(request.workspace, request.teams_user_id, request.person)
    logger.info("teams user %s linked to person %s", request.teams_user_id, request.person.pk)
    return account
