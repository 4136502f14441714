"""manage.py load_demo_past_week: the demo's history, so `make run` shows what happens after a
session and the reports have something in them.

Run after load_demo. Two parts, each loaded once (a second run leaves what is there):

- Coventry Prevent Week as it ran in January 2026 (load_demo's original): people booked,
  cancelling and on a waiting list, attendance marked and feedback given (feedback/demo.py).
- The same programme copied to last week, with people booked on every session; Monday's
  online session and Thursday's in-person one are left unmarked for the README's try-out (a
  Teams report to import, the live register), the others are marked, with feedback. A Teams
  attendance report for Monday is written to var/demo/.

Nobody is emailed history: no confirmations, no no-show emails, and those who came are
counted as already asked for feedback. Someone marked later is asked as usual.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import demo
from bookyourplace.programmes.copying import copy_programme
from bookyourplace.programmes.models import Programme, Session

ORIGINAL_SLUG = "coventry-prevent-week-2026"
PAST_SLUG = "coventry-prevent-week-last-week"
PAST_TITLE = "Coventry Prevent Week (Demo, last week)"
# Left for whoever tries the demo: Monday's Teams report to import, Thursday's live register.
MONDAY, THURSDAY = 0, 3
LEFT_TO_MARK = {MONDAY, THURSDAY}


def last_weeks_monday(today: dt.date) -> dt.date:
    """The Monday of the week before this one: Monday to Friday then are all over, and all
    within the fortnight a feedback survey stays open."""
    return today - dt.timedelta(days=today.weekday() + 7)


class Command(BaseCommand):
    help = "Load the demo's history: January's programme as it ran, and a copy run last week (after load_demo)."

    def handle(self, *args, **options) -> None:
        original = Programme.objects.filter(slug=ORIGINAL_SLUG).first()
        if original is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        loaded = False
        if not Booking.objects.filter(session__programme=original).exists():
            history = demo.load_past_programme(original)
            self.stdout.write(self.style.SUCCESS(f"Loaded the history of {original.title}: {history}"))
            loaded = True
        if not Programme.objects.filter(slug=PAST_SLUG).exists():
            with transaction.atomic():  # all of it or nothing, so a second run can finish it
                past = _copy_to_last_week(original)
                history = demo.load_last_week(past, left_to_mark=LEFT_TO_MARK)
            self.stdout.write(self.style.SUCCESS(f"Loaded {past.title}: {past.sessions.count()} sessions, {history}"))
            report = _write_teams_report(past)
            if report:
                self.stdout.write(f"  A Teams attendance report to import: {report}")
            loaded = True
        if not loaded:
            self.stdout.write(f"The demo's history is already loaded ({ORIGINAL_SLUG}, {PAST_SLUG}); nothing to do.")


def _copy_to_last_week(original: Programme) -> Programme:
    past = copy_programme(
        programme=original,
        first_day=last_weeks_monday(timezone.localdate()),
        title=PAST_TITLE,
        slug=PAST_SLUG,
        publish=True,
    )
    for session in past.sessions.all():
        _copy_details(session, original)
    return past


def _copy_details(session: Session, original: Programme) -> None:
    same = original.sessions.filter(title=session.title).first()
    if same is not None:
        session.joining_url = same.joining_url
        session.joining_instructions = same.joining_instructions
        session.address = same.address
        session.save(update_fields=["joining_url", "joining_instructions", "address"])


def _write_teams_report(programme: Programme):
    """A Teams attendance report for Monday's online session, as Teams would give it."""
    try:
        from bookyourplace.attendance.testing import write_demo_report
    except ImportError:
        return None
    session = programme.sessions.filter(delivery=Session.Delivery.ONLINE).order_by("starts_at").first()
    if session is None:
        return None
    folder = settings.VAR_DIR / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"teams-attendance-report-{session.starts_at.astimezone(programme.tz):%Y-%m-%d}.csv"
    path.write_bytes(write_demo_report(session))
    return path
