from django.apps import AppConfig


class TradesConfig(AppConfig):
    name = "furima.trades"
    label = "trades"
    verbose_name = "Trades"
