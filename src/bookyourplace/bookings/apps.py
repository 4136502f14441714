from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookyourplace.bookings"
    label = "bookings"

    def ready(self) -> None:
        # Delivery knows no bookings: tell it how emails about a booking are written.
        from bookyourplace.bookings.email_content import BOOKING_EMAILS, TEXT_REMINDER_KINDS, TEXT_REMINDERS
        from bookyourplace.bookings.models import Booking
        from bookyourplace.notifications.composing import register_composer

        register_composer(Booking, BOOKING_EMAILS)
        register_composer(Booking, TEXT_REMINDERS, kinds=TEXT_REMINDER_KINDS)

        # What a booking holds about a person, for retention, subject access and erasure.
        from bookyourplace.bookings.personal_data import HOLDER, SIGN_IN_LINKS_HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)
        register_holder(SIGN_IN_LINKS_HOLDER)
