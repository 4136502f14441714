from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bookyourplace.notifications"
    label = "notifications"

    def ready(self) -> None:
        # The outbox's addresses and error texts, for retention, subject access and erasure.
        from bookyourplace.notifications.personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)

        # The test email of the "Email sending" page is about the organisation's settings.
        from bookyourplace.notifications.composing import register_composer
        from bookyourplace.notifications.models import NotifySettings
        from bookyourplace.notifications.sending_settings import TEST_EMAILS

        register_composer(NotifySettings, TEST_EMAILS)
