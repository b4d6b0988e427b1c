from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "furima.shipping"
    label = "shipping"
    verbose_name = "Shipping addresses"
