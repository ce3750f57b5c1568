from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "plaudit.rewards"
    label = "rewards"
    verbose_name = "Rewards"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (registers catalog cache invalidation)
