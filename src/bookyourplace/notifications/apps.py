from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bookyourplace.notifications"
    label = "notifications"
