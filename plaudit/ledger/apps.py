from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "plaudit.ledger"
    label = "ledger"
    verbose_name = "Points ledger"
