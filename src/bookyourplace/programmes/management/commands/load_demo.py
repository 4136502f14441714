"""manage.py load_demo: the Coventry Prevent Week flyer, plus a bookable copy for next year,
and a second, small organisation with a programme of its own (several organisations on one site).

The original (January 2026) shows a real partnership's programme as it was published; the
copy lands in the year after this one, so whoever tries the demo can always book a place.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bookyourplace.programmes.copying import copy_programme, same_weekday_in_year
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.management.commands.import_programme import programme_summary, session_line
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.page_version import programme_changed

ORIGINAL_SLUG = "coventry-prevent-week-2026"
DEMO_SLUG = "coventry-prevent-week-demo"
DEMO_TITLE = "Coventry Prevent Week (Demo)"
# The flyer has no year; pinning "today" keeps the original in the week it ran.
FLYER_TODAY = dt.date(2026, 1, 1)
ONLINE_CAPACITY = 50
IN_PERSON_CAPACITY = 30
# Small enough that someone trying the demo can see what a full session looks like.
SMALL_SESSION_CAPACITY = 3
JOINING_URL = "https://teams.microsoft.com/l/meetup-join/demo-{pk}"
JOINING_INSTRUCTIONS = "Join from a quiet, private space. Cameras on, please; the session is not recorded."
FRIARGATE_ADDRESS = "One Friargate, Coventry CV1 2GN"
PARTNER_SLUG = "warwickshire-safeguarding-demo"
PARTNER_SESSIONS = (
    # (weeks from now, start hour, title, delivery)
    (5, 10, "Safeguarding Adults: the Basics", Session.Delivery.ONLINE),
    (6, 14, "County Lines and Exploitation", Session.Delivery.IN_PERSON),
)


class Command(BaseCommand):
    help = "Load the Coventry Prevent Week demo programme and a bookable copy for next year."

    def handle(self, *args, **options) -> None:
        if Programme.objects.filter(slug=ORIGINAL_SLUG).exists():
            self.stdout.write(f"The demo is already loaded ({ORIGINAL_SLUG}); nothing to do.")
            return
        with transaction.atomic():
            original = _import_original(_organiser())
            demo = _copy_for_next_year(original)
            partner = _second_organisation()
            # The details added after the import and the copy show on the public pages.
            for programme in (original, demo, partner):
                programme_changed(programme.pk)
        for programme in (original, demo, partner):
            self.stdout.write(self.style.SUCCESS(f"Loaded {programme_summary(programme)}"))
            for session in programme.sessions.all():
                self.stdout.write(f"  {session_line(session)}")


def _organiser() -> Organiser:
    organiser, _created = Organiser.objects.get_or_create(
        slug="coventry",
        defaults={
            "name": "Coventry Prevent Partnership",
            "contact_email": "prevent@coventry.example",
            "brand_colour": "#1d4f91",
        },
    )
    return organiser


def _import_original(organiser: Organiser) -> Programme:
    flyer = (settings.BASE_DIR / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")
    programme = import_programme(
        text=flyer, organiser=organiser, publish=True, capacity=ONLINE_CAPACITY, today=FLYER_TODAY
    )
    programme.sessions.filter(delivery=Session.Delivery.IN_PERSON).update(capacity=IN_PERSON_CAPACITY)
    _add_joining_details(programme)
    return programme


def _copy_for_next_year(original: Programme) -> Programme:
    first_day = original.sessions.earliest("starts_at").starts_at.astimezone(original.tz).date()
    demo = copy_programme(
        programme=original,
        first_day=same_weekday_in_year(first_day, year=timezone.localdate().year + 1),
        title=DEMO_TITLE,
        slug=DEMO_SLUG,
        publish=True,
    )
    _add_joining_details(demo)
    small = demo.sessions.get(delivery=Session.Delivery.IN_PERSON, starts_at__week_day=5)  # Thursday
    small.capacity = SMALL_SESSION_CAPACITY
    small.save(update_fields=["capacity"])
    return demo


def _add_joining_details(programme: Programme) -> None:
    """Fake but realistic details, so the confirmation email and calendar invite look right."""
    for session in programme.sessions.all():
        if session.is_online:
            session.joining_url = JOINING_URL.format(pk=session.pk)
            session.joining_instructions = JOINING_INSTRUCTIONS
        else:
            session.address = FRIARGATE_ADDRESS
        session.save(update_fields=["joining_url", "joining_instructions", "address"])


def _second_organisation() -> Programme:
    """Warwickshire's own programme, in its own colour and under its own email sender."""
    organiser, _created = Organiser.objects.get_or_create(
        slug="warwickshire",
        defaults={
            "name": "Warwickshire Safeguarding Partnership",
            "contact_email": "safeguarding@warwickshire.example",
            "brand_colour": "#5a2d82",
            "email_sender_name": "Warwickshire Safeguarding",
            "email_sign_off": "With best wishes,\nthe Warwickshire Safeguarding training team",
        },
    )
    programme = Programme.objects.create(
        organiser=organiser,
        title="Warwickshire Safeguarding Briefings (Demo)",
        slug=PARTNER_SLUG,
        summary="Short briefings for everyone who works with children and adults in Warwickshire.",
        status=Programme.Status.PUBLISHED,
        **organiser.programme_defaults(),
    )
    today = timezone.localdate()
    for weeks, hour, title, delivery in PARTNER_SESSIONS:
        day = today + dt.timedelta(weeks=weeks)
        starts = dt.datetime.combine(day, dt.time(hour), tzinfo=programme.tz)
        online = delivery == Session.Delivery.ONLINE
        Session.objects.create(
            programme=programme,
            title=title,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            delivery=delivery,
            platform="Microsoft Teams" if online else "",
            joining_url=JOINING_URL.format(pk=f"warwickshire-{weeks}") if online else "",
            joining_instructions=JOINING_INSTRUCTIONS if online else "",
            venue="" if online else "Shire Hall",
            address="" if online else "Market Place, Warwick CV34 4RR",
            capacity=IN_PERSON_CAPACITY,
        )
    return programme
