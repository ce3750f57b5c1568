"""``manage.py rotate_reward_codes``: re-encrypt the secrets at rest with the newest key."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from plaudit.chat.services import rotate_chat_secrets
from plaudit.events.services import rotate_webhook_secrets
from plaudit.people.mfa import rotate_authenticator_secrets
from plaudit.rewards.code_stock import rotate_reward_codes


class Command(BaseCommand):
    help = (
        "Re-encrypt every reward code, webhook secret, chat workspace secret and "
        "authenticator secret (two-factor authentication) with the first key of "
        "PLAUDIT_CODES_KEYS; afterwards the older keys can be dropped from the setting."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = rotate_reward_codes()
        secrets = rotate_webhook_secrets()
        chat = rotate_chat_secrets()
        authenticators = rotate_authenticator_secrets()
        # One sentence for each count, so each can take its own plural.
        self.stdout.write(
            ngettext(
                "Re-encrypted %(count)s reward code with the newest key.",
                "Re-encrypted %(count)s reward codes with the newest key.",
                codes,
            )
            % {"count": codes}
        )
        self.stdout.write(
            ngettext(
                "Re-encrypted %(count)s webhook secret with the newest key.",
                "Re-encrypted %(count)s webhook secrets with the newest key.",
                secrets,
            )
            % {"count": secrets}
        )
        self.stdout.write(
            ngettext(
                "Re-encrypted the secrets of %(count)s chat workspace with the newest key.",
                "Re-encrypted the secrets of %(count)s chat workspaces with the newest key.",
                chat,
            )
            % {"count": chat}
        )
        self.stdout.write(
            ngettext(
                "Re-encrypted the secret of %(count)s authenticator with the newest key.",
                "Re-encrypted the secrets of %(count)s authenticators with the newest key.",
                authenticators,
            )
            % {"count": authenticators}
        )
