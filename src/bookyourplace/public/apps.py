from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "bookyourplace.public"
    label = "public"
