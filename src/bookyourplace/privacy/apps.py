from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bookyourplace.privacy"
    label = "privacy"
