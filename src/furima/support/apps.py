from django.apps import AppConfig


class SupportConfig(AppConfig):
    """The support desk (事務局): the queue of trades waiting on the operator."""

    name = "furima.support"
    label = "support"
