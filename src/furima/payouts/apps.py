from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "furima.payouts"
    label = "payouts"
    verbose_name = "Payouts"
