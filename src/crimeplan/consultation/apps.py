from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "crimeplan.consultation"
    label = "consultation"
