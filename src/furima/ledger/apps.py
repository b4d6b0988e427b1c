from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "furima.ledger"
    label = "ledger"
    verbose_name = "Ledger"
