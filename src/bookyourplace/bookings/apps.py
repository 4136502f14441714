from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookyourplace.bookings"
    label = "bookings"
