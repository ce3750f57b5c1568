"""Notification emails: one per notification, or one daily digest, per the person's choice.

Rendered from an HTML and a text template per event type
(``events/email/<type>.html`` / ``.txt``), sent through Django's email backend
(console in development; SMTP, or anymail's backends, by ``EMAIL_BACKEND``).
Each email is written in its recipient's language and time zone
(:func:`~plaudit.people.locales.speaking_to`), never the worker's or the sender's.
Each send is recorded in the same transaction that holds the row lock, so a
retried task never mails the same notification twice once it has succeeded.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import ngettext

from plaudit.core.site import absolute_url, current_site, site_url
from plaudit.core.wording import number
from plaudit.people.locales import speaking_to

from .models import Notification, NotificationPreference

DIGEST_EVERY = timedelta(hours=20)  # at most one digest a day, even if beat runs twice


def _absolute(url: str) -> str:
    return absolute_url(url)


def _send(*, to: str, subject: str, template: str | list[str], context: dict[str, Any]) -> None:
    names = [template] if isinstance(template, str) else template
    site = current_site()
    context = {"site_url": site_url(), "site_name": site.name, **context}
    text = select_template([f"{name}.txt" for name in names]).render(context)
    html = select_template([f"{name}.html" for name in names]).render(context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_notification_email(notification_id: int) -> bool:
    """Mail one notification to its owner; False if it was mailed before or is not due."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        person = notification.user
        if not person.is_active or not person.email:
            return False
        with speaking_to(person):
            _send(
                to=person.email,
                subject=notification.title,
                template=[f"events/email/{notification.event}", "events/email/notification"],
                context={
                    "person": person,
                    "notification": notification,
                    "link": _absolute(notification.url),
                },
            )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def digest_recipient_ids() -> list[int]:
    return list(
        NotificationPreference.objects.filter(
            daily_digest=True, email_enabled=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def send_digest(user_id: int, *, now: datetime | None = None) -> int:
    """Mail one person what they have not read and not been mailed; returns how many items.

    Runs at most once per ``DIGEST_EVERY`` per person, so a beat that fires twice
    (or a retried task) sends one digest.
    """
    now = now or timezone.now()
    with transaction.atomic():
        preferences = (
            NotificationPreference.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id)
            .first()
        )
        if preferences is None or not (preferences.daily_digest and preferences.email_enabled):
            return 0
        if preferences.digest_sent_at and now - preferences.digest_sent_at < DIGEST_EVERY:
            return 0
        items = list(
            Notification.objects.filter(
                user_id=user_id, read_at__isnull=True, emailed_at__isnull=True
            ).order_by("created_at", "id")[:100]
        )
        person = preferences.user
        if items and person.email:
            with speaking_to(person):
                _send(
                    to=person.email,
                    subject=ngettext(
                        "%(site)s: %(count)s new notification",
                        "%(site)s: %(count)s new notifications",
                        len(items),
                    )
                    % {"site": current_site().name, "count": number(len(items))},
                    template="events/email/digest",
                    context={
                        "person": person,
                        "items": [(item, _absolute(item.url)) for item in items],
                    },
                )
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=now)
        preferences.digest_sent_at = now
        preferences.save(update_fields=["digest_sent_at"])
    return len(items)
