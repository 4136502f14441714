from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "bookyourplace.backoffice"
    label = "backoffice"
