from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "plaudit.ledger"
    label = "ledger"
    verbose_name = "Points ledger"

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (the live balance consumer)
