from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "bookyourplace.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # Retries fall due while nothing else happens: the every-minute run picks them up.
        from bookyourplace.core.periodic import register_periodic_job
        from bookyourplace.webhooks.delivery import run_periodic

        register_periodic_job("webhook deliveries", run_periodic)

        # The delivery log keeps each message's body, which names the attendee.
        from bookyourplace.privacy.personal_data import register_holder
        from bookyourplace.webhooks.personal_data import HOLDER

        register_holder(HOLDER)
