"""manage.py load_demo_past_week: Coventry Prevent Week as if it ran last week, with people
booked on every session, so the demo can show what happens after a session: the sign-in
sheet, the live register, a Teams attendance report, feedback and certificates.

Run after load_demo (it copies the flyer's programme). The bookings were made a week before
each session; the emails of that time are not sent now (they would be history). A Teams
attendance report for the first online session is written to var/demo/ to try the import.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.attendees import AttendeeDetails
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.copying import copy_programme
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed

ORIGINAL_SLUG = "coventry-prevent-week-2026"
PAST_SLUG = "coventry-prevent-week-last-week"
PAST_TITLE = "Coventry Prevent Week (Demo, last week)"

# (first name, last name, organisation, sector, job title, access needs)
PEOPLE = [
    ("Amara", "Okafor", "Coventry City Council", "childrens_services", "Social worker", ""),
    ("Ben", "Hughes", "Whitley Academy", "schools", "Designated safeguarding lead", ""),
    ("Chloe", "Patel", "University Hospitals Coventry and Warwickshire", "health", "Safeguarding nurse", ""),
    ("Daniel", "O'Brien", "West Midlands Police", "police", "Police constable", ""),
    ("Elif", "Yilmaz", "Coventry College", "further_higher_education", "Student support officer", ""),
    ("Fiona", "MacLeod", "Coventry City Council", "adult_social_care", "Care manager", "A hearing loop, please."),
    ("Grace", "Adeyemi", "Little Acorns Nursery", "early_years", "Nursery manager", ""),
    ("Harpreet", "Singh", "Probation Service", "probation_prisons", "Probation officer", ""),
    ("Isaac", "Cohen", "Coventry Refugee and Migrant Centre", "voluntary_community", "Caseworker", ""),
    ("Jade", "Williams", "Cardinal Newman Catholic School", "schools", "Head of year", ""),
    ("Kamal", "Hussain", "Coventry and Warwickshire Partnership NHS Trust", "health", "Mental health nurse", ""),
    ("Laura", "Evans", "Coventry City Council", "childrens_services", "Early help worker", "Step-free access."),
    ("Mohammed", "Rahman", "Sidney Stringer Academy", "schools", "Teacher", ""),
    ("Niamh", "Doyle", "Coventry University", "further_higher_education", "Prevent lead", ""),
]


def last_weeks_monday(today: dt.date) -> dt.date:
    """The Monday of the week before this one: Monday to Friday then are all over, and all
    within the fortnight a feedback survey stays open."""
    return today - dt.timedelta(days=today.weekday() + 7)


class Command(BaseCommand):
    help = "Load Coventry Prevent Week as if it ran last week, with bookings (after load_demo)."

    def handle(self, *args, **options) -> None:
        if Programme.objects.filter(slug=PAST_SLUG).exists():
            self.stdout.write(f"Last week's demo is already loaded ({PAST_SLUG}); nothing to do.")
            return
        original = Programme.objects.filter(slug=ORIGINAL_SLUG).first()
        if original is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        with transaction.atomic():
            past = copy_programme(
                programme=original,
                first_day=last_weeks_monday(timezone.localdate()),
                title=PAST_TITLE,
                slug=PAST_SLUG,
                publish=True,
            )
            for session in past.sessions.all():
                _copy_details(session, original)
                _book_people(session)
            # The confirmations of a week ago are history: nobody is emailed them now.
            Email.objects.filter(booking__session__programme=past).delete()
            programme_changed(past.pk)
        booked = Booking.objects.filter(session__programme=past).count()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {past.title}: {past.sessions.count()} sessions, {booked} bookings")
        )
        report = _write_teams_report(past)
        if report:
            self.stdout.write(f"  A Teams attendance report to import: {report}")


def _copy_details(session: Session, original: Programme) -> None:
    same = original.sessions.filter(title=session.title).first()
    if same is not None:
        session.joining_url = same.joining_url
        session.joining_instructions = same.joining_instructions
        session.address = same.address
        session.save(update_fields=["joining_url", "joining_instructions", "address"])


def _book_people(session: Session) -> None:
    # A different dozen or so on each day, booked a week before, as people do.
    offset = session.starts_at.weekday() * 3
    count = 10 + session.starts_at.weekday() % 3 * 2
    when = session.starts_at - dt.timedelta(days=7)
    for n in range(count):
        first, last, organisation, sector, job, needs = PEOPLE[(offset + n) % len(PEOPLE)]
        bookings.book_place(
            session_id=session.pk,
            attendee=AttendeeDetails(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}".lower().replace("'", "") + "@example.org",
                organisation=organisation,
                sector=sector,
                job_title=job,
                access_needs=needs,
            ),
            now=when,
        )


def _write_teams_report(programme: Programme):
    """A Teams attendance report for the first online session, as Teams would give it."""
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
