from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crimeplan.api"
    label = "api"
    verbose_name = "API"
