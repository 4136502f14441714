from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bookyourplace.core"
    label = "core"
