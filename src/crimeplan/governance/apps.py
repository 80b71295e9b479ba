from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "crimeplan.governance"
    label = "governance"
    verbose_name = "Governance: meetings, decisions and board reports"
