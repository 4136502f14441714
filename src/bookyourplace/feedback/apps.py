from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "bookyourplace.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        # Delivery knows no feedback, and bookings' minute-by-minute work may not import it:
        # tell each what this app adds.
        from bookyourplace.bookings.models import Booking
        from bookyourplace.core.periodic import register_periodic_job
        from bookyourplace.feedback.email_content import FEEDBACK_EMAILS
        from bookyourplace.feedback.requests import KIND, queue_feedback_requests
        from bookyourplace.notifications.composing import register_composer

        register_composer(Booking, FEEDBACK_EMAILS, kinds=(KIND,))
        register_periodic_job("feedback_requests_queued", queue_feedback_requests)

        # Free-text answers can name people: retention, subject access and erasure.
        from bookyourplace.feedback.personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)
