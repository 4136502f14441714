from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bookyourplace.api"
    label = "api"
