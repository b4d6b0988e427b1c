from django.apps import AppConfig


class WebConfig(AppConfig):
    """What every page shares: formatting filters, the demo clock, the home page."""

    name = "furima.web"
    label = "web"
