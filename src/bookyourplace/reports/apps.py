from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bookyourplace.reports"
    label = "reports"

    def ready(self) -> None:
        # Bookings, emails and webhook deliveries by status for /metrics (core/metrics.py).
        from bookyourplace.core.metrics import register_collector
        from bookyourplace.reports import service_metrics

        register_collector("bookings_and_emails", service_metrics.figures)
        register_collector("webhook_deliveries", service_metrics.webhook_deliveries)
