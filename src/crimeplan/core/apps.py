from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crimeplan.core"
    label = "core"
    verbose_name = "Core and audit"

    def ready(self) -> None:
        from crimeplan.core.audit import connect_audited_models

        connect_audited_models()
