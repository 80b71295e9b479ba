from django.apps import AppConfig


class CrimedataConfig(AppConfig):
    name = "crimeplan.crimedata"
    label = "crimedata"
