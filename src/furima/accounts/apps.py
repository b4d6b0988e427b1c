from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "furima.accounts"
    label = "accounts"
    verbose_name = "Accounts"
