from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "plaudit.ledger"
    label = "ledger"
    verbose_name = "Points ledger"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (registers the balance updater)
