from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "furima.notify"
    label = "notify"
    verbose_name = "Notifications"
