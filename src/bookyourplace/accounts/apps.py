from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bookyourplace.accounts"
    label = "accounts"
