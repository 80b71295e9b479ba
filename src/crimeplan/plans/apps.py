from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "crimeplan.plans"
    label = "plans"
