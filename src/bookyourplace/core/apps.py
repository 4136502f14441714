from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bookyourplace.core"
    label = "core"

    def ready(self) -> None:
        # The worker's every-minute run beats for /readyz (core/health.py); /metrics reads the
        # worker's heartbeat and the task queue's lag from the database (core/metrics.py).
        from bookyourplace.core import health, metrics
        from bookyourplace.core.periodic import register_periodic_job

        register_periodic_job("worker_heartbeat", health.record_heartbeat)
        metrics.register_collector("service", metrics.service_figures)
