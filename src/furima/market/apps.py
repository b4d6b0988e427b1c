from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "furima.market"
    label = "market"
    verbose_name = "Market"
