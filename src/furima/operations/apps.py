from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running furima as a service: health, metrics, logs, `furima serve`."""

    name = "furima.operations"
    label = "operations"
