from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "crimeplan.public"
    label = "public"
