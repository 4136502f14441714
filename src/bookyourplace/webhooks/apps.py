from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "bookyourplace.webhooks"
    label = "webhooks"
