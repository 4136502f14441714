from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "bookyourplace.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        # Delivery knows no attendance: tell it who writes the no-show email about a booking.
        from bookyourplace.attendance.emails import NO_SHOW, NO_SHOW_EMAILS
        from bookyourplace.bookings.models import Booking
        from bookyourplace.notifications.composing import register_composer

        register_composer(Booking, NO_SHOW_EMAILS, kinds=(NO_SHOW,))

        # Walk-ins carry their own name and address: retention, subject access and erasure.
        from bookyourplace.attendance.personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)
