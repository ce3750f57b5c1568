from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "plaudit.rewards"
    label = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (registers catalog cache invalidation)
