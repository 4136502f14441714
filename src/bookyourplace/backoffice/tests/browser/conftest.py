"""The back office as an administrator finds it after a while: colleagues in every role, a
programme with sessions and bookings in every status, a sent message, and plenty in the audit
log (enough for its pagination and for the bookings list's). Built step by step below."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.bookings import approvals, messaging
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place, cancel_booking
from bookyourplace.bookings.testing import attendee_details
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode, Programme, Session

LONDON = zoneinfo.ZoneInfo("Europe/London")


def colleagues(organiser, programme) -> dict:
    """An administrator, an organiser of the programme, a viewer, a switched-off account and
    an organiser with two-factor sign-in on."""
    administrator = make_person(
        organiser, Role.ADMINISTRATOR, email="admin@coventry.gov.uk", first_name="Ade", last_name="Okafor"
    )
    colleague = make_person(
        organiser,
        Role.ORGANISER,
        email="sam.jones@coventry.gov.uk",
        first_name="Sam",
        last_name="Jones",
        programmes=(programme,),
    )
    make_person(organiser, Role.VIEWER, email="viewer@coventry.gov.uk", first_name="Vic", last_name="Reed")
    switched_off = make_person(organiser, Role.VIEWER, email="left@coventry.gov.uk", first_name="Lee", last_name="Gone")
    switched_off.user.is_active = False
    switched_off.user.save()
    with_two_factor = make_person(
        organiser, Role.ORGANISER, email="totp@coventry.gov.uk", first_name="Tara", last_name="Otp"
    )
    TOTPDevice.objects.create(user=with_two_factor.user, name="Authenticator app", confirmed=True)
    return {"administrator": administrator, "colleague": colleague, "with_two_factor": with_two_factor}


def add_booking(session, email, first_name, **options) -> Booking:
    # As an organiser adds them: confirmed or pending at once, no email confirmation first.
    return book_place(
        session_id=session.pk,
        attendee=attendee_details(email, first_name=first_name),
        address_proven=True,
        **options,
    )


def session_with_the_whole_life_cycle(make_session, starts_at, admin: Actor) -> dict:
    """One session with bookings confirmed, pending, rejected, cancelled, offered and waiting."""
    life = make_session(
        title="Understanding Prevent",
        starts_at=starts_at,
        capacity=4,
        approval_mode=ApprovalMode.TRUSTED_DOMAINS,
        trusted_domains="coventry.gov.uk",
    )
    confirmed = add_booking(life, "alex.smith@coventry.gov.uk", "Alex")
    leaving = add_booking(life, "bea.smith@coventry.gov.uk", "Bea")
    pending = add_booking(life, "pat.smith@gmail.com", "Pat")
    rejected = add_booking(life, "rob.smith@gmail.com", "Rob")
    for first_name in ("Wes", "Wyn", "Wil"):
        add_booking(life, f"{first_name.lower()}.smith@example.org", first_name, join_waiting_list=True)
    approvals.reject_booking(booking_id=rejected.pk, reason="This briefing is for council staff.", actor=admin)
    cancel_booking(booking_id=leaving.pk, actor=admin, by_organiser=True, reason="Booked twice.")
    statuses = sorted(Booking.objects.filter(session=life).values_list("status", flat=True))
    assert statuses == sorted(["confirmed", "pending", "rejected", "cancelled", "offered", "offered", "waiting"]), (
        statuses
    )
    return {"life": life, "confirmed": confirmed, "cancelled": leaving, "pending": pending}


def popular_quiet_and_called_off_sessions(make_session, starts_at) -> dict:
    # A popular session: more bookings than fit on one page of the list.
    big = make_session(title="Online Harms Briefing", starts_at=starts_at + timedelta(hours=3), capacity=80)
    for n in range(55):
        add_booking(big, f"person{n}@coventry.gov.uk", f"Person{n}")
    # A session nobody has booked, and one that was cancelled.
    quiet = make_session(title="Quiet Session", starts_at=starts_at + timedelta(days=1))
    called_off = make_session(
        title="Called Off", starts_at=starts_at + timedelta(days=2), status=Session.Status.CANCELLED
    )
    return {"big": big, "quiet": quiet, "called_off": called_off}


def message_with_one_failed_email(programme, admin: Actor, run_worker):
    message = messaging.send_message(
        programme=programme,
        session=None,
        subject="Room change",
        body="Hello {first_name}, the session is now in Room 2.",
        idempotency_key="sweep-message",
        actor=admin,
    )
    run_worker()
    # One of its emails failed, with the reason the progress page shows.
    message.emails.filter(pk=message.emails.order_by("pk").values("pk")[:1]).update(
        status=Email.Status.FAILED, last_error="The mail server refused the address: SMTPRecipientsRefused: 550 5.1.1"
    )
    return message


@pytest.fixture
def lifecycle_world(organiser, programme, make_session, run_worker):
    """A programme with sessions and bookings in every status, a sent message, colleagues and
    plenty in the audit log (enough for its pagination and for the bookings list's)."""
    people = colleagues(organiser, programme)
    Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    Programme.objects.create(organiser=organiser, title="Last Year", slug="last-year", status=Programme.Status.ARCHIVED)

    ten = datetime.combine(date.today() + timedelta(days=30), time(10, 0), tzinfo=LONDON)
    admin = Actor(user=people["administrator"].user, label="Ade Okafor")
    life_cycle = session_with_the_whole_life_cycle(make_session, ten, admin)
    sessions = popular_quiet_and_called_off_sessions(make_session, ten)
    message = message_with_one_failed_email(life_cycle["life"].programme, admin, run_worker)
    return {**people, **life_cycle, **sessions, "message": message}
