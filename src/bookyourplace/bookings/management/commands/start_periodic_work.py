from django.core.management.base import BaseCommand

from bookyourplace.bookings.periodic import schedule_next


class Command(BaseCommand):
    help = "Make sure the worker's minute-by-minute work (offers, reminders) is scheduled. Run before the worker."

    def handle(self, *args, **options):
        if schedule_next():
            self.stdout.write("Scheduled the periodic work (offers that ran out, reminders).")
        else:
            self.stdout.write("The periodic work is already scheduled.")
