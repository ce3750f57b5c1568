"""``manage.py deactivate_expired_rewards``: switch off rewards past their expiry."""

from typing import Any

from django.core.management.base import BaseCommand

from plaudit.rewards.services import deactivate_expired_rewards


class Command(BaseCommand):
    help = "Deactivate active rewards whose expires_at has passed. Safe to run any time."

    def handle(self, *args: Any, **options: Any) -> None:
        deactivated = deactivate_expired_rewards()
        for reward in deactivated:
            self.stdout.write(
                f"Deactivated #{reward.pk} {reward.name} (expired {reward.expires_at:%Y-%m-%d})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(deactivated)} reward(s) deactivated."))
