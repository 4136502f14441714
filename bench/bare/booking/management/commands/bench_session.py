"""`bench_session --capacity N` creates a session and prints its id; `bench_session --count ID`
prints how many bookings it holds. Used by bench/cycle.py, which has no access to this
project's models."""

from django.core.management.base import BaseCommand

from booking.models import Booking, Session


class Command(BaseCommand):
    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--capacity", type=int)
        group.add_argument("--count", type=int, metavar="SESSION_ID")

    def handle(self, *args, capacity=None, count=None, **options):
        if capacity is not None:
            self.stdout.write(str(Session.objects.create(capacity=capacity).pk))
        else:
            self.stdout.write(str(Booking.objects.filter(session_id=count).count()))
