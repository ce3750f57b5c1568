from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "plaudit.chat"
    label = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (registers the outbox consumer)
