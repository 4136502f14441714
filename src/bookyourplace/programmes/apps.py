from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "bookyourplace.programmes"
    label = "programmes"
