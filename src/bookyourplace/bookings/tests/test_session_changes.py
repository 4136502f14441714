"""Organisers change and cancel sessions; attendees hear about it, and their calendars follow."""

import datetime as dt
import email
import email.policy

import pytest
from django.core import mail
from icalendar import Calendar

from bookyourplace.bookings import services as bookings
from bookyourplace.bookings import session_changes
from bookyourplace.bookings.invites import invite_uid
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import publishing
from bookyourplace.programmes.errors import InvalidSessionDetails, ProgrammeError
from bookyourplace.programmes.models import Programme, Session

ORGANISER = Actor(label="Priya (Prevent coordinator)", ip_address="203.0.113.9")


def invites_sent_to(address: str) -> list:
    """Every calendar event emailed to this address, oldest first, as Outlook would read them."""
    events = []
    for message in mail.outbox:
        if message.to != [address]:
            continue
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                calendar = Calendar.from_ical(part.get_content())
                assert part.get_param("method") == str(calendar["METHOD"])
                events.append((str(calendar["METHOD"]), calendar.walk("VEVENT")[0]))
    return events


@pytest.fixture
def booked(session, attendee_details):
    return bookings.book_place(session_id=session.pk, attendee=attendee_details())


def test_moving_a_session_sends_an_update_with_the_same_uid_and_a_higher_sequence(session, booked, run_worker):
    new_start = dt.datetime(2027, 3, 30, 10, 0, tzinfo=session.programme.tz)  # just after the clocks go forward

    change = session_changes.change_session(
        session_id=session.pk,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=2),
        actor=ORGANISER,
    )
    run_worker()

    assert change.attendees_told == 1
    sent = invites_sent_to(booked.email)
    assert [(method, int(event["SEQUENCE"])) for method, event in sent] == [("REQUEST", 0), ("REQUEST", 1)]
    assert {str(event["UID"]) for _, event in sent} == {invite_uid(booked)}
    updated = sent[-1][1]
    assert updated.decoded("DTSTART") == new_start
    assert updated.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    assert [m.subject for m in mail.outbox][-1] == f"Session changed: {session.title}"
    assert "10:00 to 12:00" in mail.outbox[-1].body


def test_changing_only_the_description_tells_nobody(session, booked):
    change = session_changes.change_session(session_id=session.pk, description="<p>New words</p>", actor=ORGANISER)

    assert change.changed == ("description",)
    assert change.attendees_told == 0
    assert Booking.objects.get().invite_sequence == 0


def test_a_new_joining_link_reaches_confirmed_attendees_only(session, booked, attendee_details, run_worker):
    leaver = bookings.book_place(session_id=session.pk, attendee=attendee_details("leaver@example.org"))
    bookings.cancel_booking(booking_id=leaver.pk)
    new_link = "https://teams.microsoft.com/l/meetup-join/new-link"

    session_changes.change_session(session_id=session.pk, joining_url=new_link, actor=ORGANISER)
    run_worker()

    with_link = {m.to[0] for m in mail.outbox if new_link in m.body}
    assert with_link == {booked.email}


def test_cancelling_a_session_withdraws_every_invite(session, booked, run_worker):
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER, reason="The speaker is unwell.")
    run_worker()

    method, event = invites_sent_to(booked.email)[-1]
    assert method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert "Reason: The speaker is unwell." in mail.outbox[-1].body
    assert Session.objects.get().status == Session.Status.CANCELLED


def test_cancelling_a_session_twice_tells_people_once(session, booked):
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER)
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER)

    assert booked.emails.filter(kind="session_cancelled").count() == 1


def test_a_create_change_change_cancel_history_gives_increasing_sequences(session, booked, run_worker):
    start = session.starts_at
    for hours in (1, 2):
        session_changes.change_session(
            session_id=session.pk,
            starts_at=start + dt.timedelta(hours=hours),
            ends_at=start + dt.timedelta(hours=hours + 2),
            actor=ORGANISER,
        )
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER)
    run_worker()

    history = [(method, int(event["SEQUENCE"])) for method, event in invites_sent_to(booked.email)]
    assert history == [("REQUEST", 0), ("REQUEST", 1), ("REQUEST", 2), ("CANCEL", 3)]


def test_lowering_capacity_below_the_confirmed_count_is_refused(make_session, attendee_details):
    session = make_session(capacity=5)
    for n in range(3):
        bookings.book_place(session_id=session.pk, attendee=attendee_details(f"p{n}@example.org"))

    with pytest.raises(InvalidSessionDetails) as refusal:
        session_changes.change_session(session_id=session.pk, capacity=2, actor=ORGANISER)

    assert refusal.value.problems["capacity"] == [
        "3 people already have a place, so there must be at least 3 places. Cancel bookings first if you need fewer."
    ]
    assert Session.objects.get().capacity == 5


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"delivery": "in_person", "venue": "", "room": ""},
            "venue",
            "Enter the venue or room for an in-person session",
        ),
        (
            {"joining_url": ""},
            "joining_url",
            "Enter the joining link: the programme is published, so attendees need it",
        ),
        ({"capacity": 0}, "capacity", "Enter a number of places of 1 or more"),
    ],
)
def test_session_rules_speak_the_organisers_language(session, fields, field, message):
    with pytest.raises(InvalidSessionDetails) as refusal:
        session_changes.change_session(session_id=session.pk, **fields, actor=ORGANISER)

    assert refusal.value.problems[field] == [message]


def test_end_before_start_is_refused(session):
    with pytest.raises(InvalidSessionDetails) as refusal:
        session_changes.change_session(session_id=session.pk, ends_at=session.starts_at, actor=ORGANISER)

    assert refusal.value.problems["ends_at"] == ["The end time must be after the start time"]


def test_publishing_needs_joining_links_for_online_sessions(programme, make_session):
    Programme.objects.update(status=Programme.Status.DRAFT)
    programme.refresh_from_db()
    make_session(title="No link yet", joining_url="")

    with pytest.raises(ProgrammeError) as refusal:
        publishing.set_programme_status(programme=programme, status=Programme.Status.PUBLISHED, actor=ORGANISER)

    assert str(refusal.value) == "Add a joining link to the online session 'No link yet' before publishing."
    assert Programme.objects.get().status == Programme.Status.DRAFT


def test_changes_are_recorded_with_who_and_where(session, booked):
    session_changes.change_session(session_id=session.pk, room="", capacity=30, actor=ORGANISER)

    event = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_SESSION).get()
    assert (event.actor_label, event.ip_address) == ("Priya (Prevent coordinator)", "203.0.113.9")
    assert event.summary == f"Changed capacity of session '{session.title}'"
