"""``manage.py deactivate_expired_rewards``: switch off rewards past their expiry."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.rewards.services import deactivate_expired_rewards


class Command(BaseCommand):
    help = "Deactivate active rewards whose expires_at has passed. Safe to run any time."

    def handle(self, *args: Any, **options: Any) -> None:
        deactivated = deactivate_expired_rewards()
        for reward in deactivated:
            self.stdout.write(
                _("Deactivated #%(id)s %(name)s (expired %(date)s)")
                % {"id": reward.pk, "name": reward.name, "date": f"{reward.expires_at:%Y-%m-%d}"}
            )
        count = len(deactivated)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("%(count)s reward deactivated.", "%(count)s rewards deactivated.", count)
                % {"count": count}
            )
        )
