from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "crimeplan.measures"
    label = "measures"
