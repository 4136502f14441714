from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bookyourplace.notifications"
    label = "notifications"

    def ready(self) -> None:
        # The outbox's addresses and error texts, for retention, subject access and erasure.
        from bookyourplace.notifications.personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)
