from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "crimeplan.delivery"
    label = "delivery"
    verbose_name = "Delivery"
