from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bookyourplace.privacy"
    label = "privacy"

    def ready(self) -> None:
        # The audit log is a holder of personal data like any other app; the daily retention
        # run joins the worker's every-minute work (core/periodic.py), as privacy may not
        # import bookings, whose run it is.
        from bookyourplace.core.periodic import register_periodic_job
        from bookyourplace.privacy.audit_personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder
        from bookyourplace.privacy.retention import start_daily_run

        register_holder(HOLDER)
        register_periodic_job("retention_run_started", start_daily_run)
