"""``manage.py rotate_reward_codes``: re-encrypt reward codes with the newest key."""

from typing import Any

from django.core.management.base import BaseCommand

from plaudit.rewards.services import rotate_reward_codes


class Command(BaseCommand):
    help = (
        "Re-encrypt every reward code with the first key of PLAUDIT_CODES_KEYS; afterwards "
        "the older keys can be dropped from the setting."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = rotate_reward_codes()
        self.stdout.write(f"Re-encrypted {rotated} reward codes with the newest key.")
