from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crimeplan.accounts"
    label = "accounts"
