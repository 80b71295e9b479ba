from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    name = "crimeplan.hotspots"
    label = "hotspots"
