"""build_invite: the .ics an attendee's calendar reads, checked with two independent parsers."""

import datetime as dt
import zoneinfo

import pytest
import vobject
from icalendar import Calendar

from bookyourplace.bookings.invites import (
    CANCEL,
    REQUEST,
    build_invite,
    invite_uid,
)
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place
from bookyourplace.programmes.models import Session

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC
STAMP = dt.datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
MANAGE_URL = "http://testserver/booking/manage-link-for-tests/"
JOINING_URL = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"

WINTER = pytest.param(dt.datetime(2026, 1, 19, 13, 0), dt.datetime(2026, 1, 19, 13, 0, tzinfo=UTC), id="GMT")
SUMMER = pytest.param(dt.datetime(2026, 6, 15, 10, 0), dt.datetime(2026, 6, 15, 9, 0, tzinfo=UTC), id="BST")


@pytest.fixture
def book(attendee_details):
    """Book a place as the public form would, on 1 January 2026 (before every session here)."""

    def make(session, email="alex.smith@coventry.gov.uk"):
        return book_place(
            session_id=session.pk, attendee=attendee_details(email=email), now=dt.datetime(2026, 1, 1, tzinfo=UTC)
        )

    return make


@pytest.fixture
def booking_at(make_session, book):
    """A booking on a two-hour online session starting at this London wall-clock time."""

    def make(local_start: dt.datetime):
        return book(make_session(starts_at=local_start.replace(tzinfo=LONDON)))

    return make


def invite(booking, *, method=REQUEST, stamp=STAMP) -> bytes:
    return build_invite(
        booking=booking,
        method=method,
        sequence=booking.invite_sequence,
        manage_url=MANAGE_URL,
        stamp=stamp,
    )


def unfolded_lines(ics: bytes) -> list[str]:
    """The content lines of an .ics file with RFC 5545 line folding undone."""
    return ics.decode().replace("\r\n ", "").split("\r\n")


def only_event(ics: bytes):
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("local_start", "utc_start"), [WINTER, SUMMER])
def test_build_invite_start_and_end_carry_london_tzid_and_wall_clock_time(booking_at, local_start, utc_start):
    # Arrange
    booking = booking_at(local_start)
    local_end = local_start + dt.timedelta(hours=2)

    # Act
    ics = invite(booking)

    # Assert
    lines = unfolded_lines(ics)
    assert f"DTSTART;TZID=Europe/London:{local_start:%Y%m%dT%H%M%S}" in lines
    assert f"DTEND;TZID=Europe/London:{local_end:%Y%m%dT%H%M%S}" in lines
    event = only_event(ics)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").replace(tzinfo=None) == local_start
    assert event.decoded("DTSTART").astimezone(UTC) == utc_start
    assert event.decoded("DTEND").astimezone(UTC) == utc_start + dt.timedelta(hours=2)


@pytest.mark.django_db
def test_build_invite_vtimezone_has_one_standard_and_one_daylight_rule_without_rdates(booking_at):
    # Arrange
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))

    # Act
    calendar = Calendar.from_ical(invite(booking))

    # Assert
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/London"]
    standards = zones[0].walk("STANDARD")
    daylights = zones[0].walk("DAYLIGHT")
    assert len(standards) == 1
    assert len(daylights) == 1
    for block in (standards[0], daylights[0]):
        assert "RRULE" in block
        assert "RDATE" not in block
    assert dict(standards[0]["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert dict(daylights[0]["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}


@pytest.mark.django_db
@pytest.mark.parametrize(("local_start", "utc_start"), [WINTER, SUMMER])
def test_build_invite_vobject_reads_the_same_utc_start(booking_at, local_start, utc_start):
    # Arrange
    booking = booking_at(local_start)

    # Act
    calendar = vobject.readOne(invite(booking).decode())

    # Assert: vobject's own reading of DTSTART ...
    start = calendar.vevent.dtstart.value
    assert start.replace(tzinfo=None) == local_start
    assert start.astimezone(UTC) == utc_start
    # ... and the file's own VTIMEZONE rules, read by vobject (via dateutil), not the system's zone data.
    file_zone = calendar.vtimezone.gettzinfo()
    assert local_start.replace(tzinfo=file_zone).astimezone(UTC) == utc_start


@pytest.mark.django_db
def test_build_invite_cancel_method_gives_method_cancel_and_status_cancelled(booking_at):
    # Arrange
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))

    # Act
    ics = invite(booking, method=CANCEL)

    # Assert
    calendar = Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(only_event(ics)["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_build_invite_request_method_gives_method_request_and_status_confirmed(booking_at):
    # Arrange
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))

    # Act
    ics = invite(booking, method=REQUEST)

    # Assert
    assert str(Calendar.from_ical(ics)["METHOD"]) == "REQUEST"
    assert str(only_event(ics)["STATUS"]) == "CONFIRMED"


@pytest.mark.django_db
def test_build_invite_in_person_location_is_room_venue_and_address(make_session, book):
    # Arrange
    session = make_session(
        starts_at=dt.datetime(2026, 1, 19, 13, 0, tzinfo=LONDON),
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        joining_url="",
        joining_instructions="",
        room="Room 1.4",
        venue="Friargate",
        address="1 Friargate, Coventry CV1 2GN",
    )
    booking = book(session)

    # Act
    ics = invite(booking)

    # Assert
    assert str(only_event(ics)["LOCATION"]) == "Room 1.4, Friargate, 1 Friargate, Coventry CV1 2GN"


@pytest.mark.django_db
def test_build_invite_online_location_is_the_platform(booking_at):
    # Arrange
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))

    # Act
    ics = invite(booking)

    # Assert
    assert str(only_event(ics)["LOCATION"]) == "Microsoft Teams"


@pytest.mark.django_db
def test_build_invite_for_a_confirmed_booking_puts_joining_url_in_description(booking_at):
    # Arrange
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))
    assert booking.status == Booking.Status.CONFIRMED

    # Act
    ics = invite(booking)

    # Assert
    description = str(only_event(ics)["DESCRIPTION"])
    assert f"Join the session: {JOINING_URL}" in description.splitlines()
    assert f"Manage or cancel your booking: {MANAGE_URL}" in description.splitlines()


@pytest.mark.django_db
def test_build_invite_for_a_booking_waiting_for_approval_keeps_joining_url_out_of_the_file(booking_at):
    # Arrange: the session has a joining link; the booking is not confirmed.
    booking = booking_at(dt.datetime(2026, 1, 19, 13, 0))
    booking.status = Booking.Status.PENDING
    booking.save(update_fields=["status"])

    # Act
    ics = invite(booking)

    # Assert
    unfolded = "\r\n".join(unfolded_lines(ics))
    assert "secret-joining-link" not in unfolded
    assert "teams.microsoft.com" not in unfolded
    assert "Cameras on, please." not in unfolded
    assert f"Manage or cancel your booking: {MANAGE_URL}" in str(only_event(ics)["DESCRIPTION"]).splitlines()


@pytest.mark.django_db
def test_build_invite_uid_is_stable_across_builds_and_differs_between_bookings(make_session, book):
    # Arrange
    session = make_session(starts_at=dt.datetime(2026, 1, 19, 13, 0, tzinfo=LONDON))
    first = book(session, email="alex.smith@coventry.gov.uk")
    second = book(session, email="sam.jones@coventry.gov.uk")

    # Act
    uid_now = str(only_event(invite(first, stamp=STAMP))["UID"])
    uid_later = str(only_event(invite(first, method=CANCEL, stamp=STAMP + dt.timedelta(days=3)))["UID"])
    uid_other = str(only_event(invite(second))["UID"])

    # Assert
    assert uid_now == f"booking-{first.uid}@testserver"
    assert uid_now == invite_uid(first)
    assert uid_later == uid_now
    assert uid_other == f"booking-{second.uid}@testserver"
    assert uid_other != uid_now
