"""Fair shares (issue 19, point 3): at most so many places per organisation on each session;
the rest go on the waiting list, told why, and offers pass over an organisation that has its
share without losing anyone's place in the queue."""

import importlib

import pytest
from django.apps import apps
from django.core import mail

from bookyourplace.bookings import fair_shares, services, waiting_list
from bookyourplace.bookings.availability import State, availability, waiting_position
from bookyourplace.bookings.fair_shares import organisation_key
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, places_taken, status_of

REASON_TWO = "Your organisation already has 2 of its 2 places on this session; you are on the waiting list."


@pytest.fixture
def capped(programme, make_session):
    """A session of 4 places, at most 2 per organisation."""

    def make(cap=2, **overrides):
        programme.fair_share_cap = cap
        programme.save(update_fields=["fair_share_cap"])
        return make_session(**{"capacity": 4, **overrides})

    return make


# --- Which organisation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "organisation", "key"),
    [
        ("head@StMarys.sch.uk", "St Mary's Primary", "domain:stmarys.sch.uk"),
        ("head@stmarys.sch.uk", "Anything typed", "domain:stmarys.sch.uk"),
        ("jo.bloggs@gmail.com", "The Whitley Academy Ltd.", "name:whitleyacademy"),
        ("jo@hotmail.co.uk", "whitley   academy", "name:whitleyacademy"),
        ("jo@yahoo.fr", "Whitley Academy Limited", "name:whitleyacademy"),
        (
            "nurse@nhs.net",
            "University Hospitals Coventry & Warwickshire",
            "name:universityhospitalscoventryandwarwickshire",
        ),
        ("sam@btinternet.com", "", ""),
    ],
)
def test_the_organisation_is_the_email_domain_unless_it_is_a_shared_one_then_the_name(email, organisation, key):
    assert organisation_key(email, organisation) == key


def test_names_typed_differently_are_one_organisation():
    typed = ["The Whitley Academy", "Whitley Academy Ltd", "whitley-academy", "WHITLEY ACADEMY."]

    assert len({fair_shares.name_key(name) for name in typed}) == 1
    assert fair_shares.name_key("St Mary's") != fair_shares.name_key("St Mark's")


# --- The rule ------------------------------------------------------------------------------------


def test_the_third_person_from_one_school_waits_while_others_still_book(capped, run_worker):
    session = capped()
    book(session, "ann@stmarys.sch.uk")
    book(session, "bob@stmarys.sch.uk")

    third = book(session, "cat@stmarys.sch.uk")
    other = book(session, "dan@kingsway.sch.uk")

    assert third.status == Booking.Status.WAITING and third.fair_share_waiting
    assert other.status == Booking.Status.CONFIRMED
    assert places_taken(session) == 3
    # The one waiting for a share does not close the free place to other organisations.
    assert availability(session).state in (State.OPEN, State.FEW_LEFT)
    run_worker()
    told = [m for m in mail.outbox if m.to == ["cat@stmarys.sch.uk"]]
    assert len(told) == 1
    assert told[0].subject.startswith("You are on the waiting list")
    assert REASON_TWO in told[0].body
    assert REASON_TWO in told[0].alternatives[0][0]
    assert "The session is full" not in told[0].body


def test_an_organisation_named_in_the_form_shares_one_cap_across_personal_addresses(capped):
    session = capped()
    book(session, "ann@gmail.com", organisation="The Whitley Academy")
    book(session, "bob@outlook.com", organisation="Whitley Academy Ltd")

    third = book(session, "cat@icloud.com", organisation="whitley academy")

    assert third.is_waiting and third.fair_share_waiting


def test_without_a_cap_one_organisation_may_take_every_place(programme, make_session):
    session = make_session(capacity=3)

    booked = [book(session, f"staff{n}@stmarys.sch.uk") for n in range(3)]

    assert all(b.is_confirmed for b in booked)


def test_places_held_for_approval_offers_and_email_confirmation_count_towards_the_share(capped, programme):
    programme.approval_mode = "approval"
    programme.save(update_fields=["approval_mode"])
    session = capped()
    assert book(session, "ann@stmarys.sch.uk").is_pending
    assert book(session, "bob@stmarys.sch.uk").is_pending

    assert book(session, "cat@stmarys.sch.uk").fair_share_waiting


def test_a_full_session_puts_everyone_on_the_waiting_list_as_before(capped):
    session = capped(capacity=2)
    book(session, "ann@stmarys.sch.uk")
    book(session, "dan@kingsway.sch.uk")

    with pytest.raises(services.SessionFull):
        book(session, "bob@stmarys.sch.uk")
    waiting = book(session, "bob@stmarys.sch.uk", waiting=True)

    assert waiting.is_waiting and not waiting.fair_share_waiting
    assert fair_shares.reason(waiting) == ""


def test_the_reason_says_one_place_when_the_cap_is_one(capped):
    session = capped(cap=1)
    book(session, "ann@stmarys.sch.uk")

    second = book(session, "bob@stmarys.sch.uk")

    assert fair_shares.reason(second) == (
        "Your organisation already has its 1 place on this session; you are on the waiting list."
    )


def test_an_administrator_may_book_beyond_the_share(capped, attendee_details):
    session = capped(cap=1)
    book(session, "ann@stmarys.sch.uk")

    beyond = services.book_place(
        session_id=session.pk,
        attendee=attendee_details("bob@stmarys.sch.uk"),
        address_proven=True,
        beyond_fair_share=True,
    )

    assert beyond.is_confirmed


# --- Offers from the waiting list ----------------------------------------------------------------


def test_an_offer_passes_over_an_organisation_with_its_share_and_it_keeps_its_place_in_the_queue(capped):
    session = capped(capacity=3)
    ann = book(session, "ann@stmarys.sch.uk")
    book(session, "bob@stmarys.sch.uk")
    dan = book(session, "dan@kingsway.sch.uk")
    cat = book(session, "cat@stmarys.sch.uk", waiting=True)
    eve = book(session, "eve@whitley.sch.uk", waiting=True)

    services.cancel_booking(booking_id=dan.pk)

    assert status_of(cat) == Booking.Status.WAITING
    assert status_of(eve) == Booking.Status.OFFERED
    assert waiting_position(cat) == 1
    services.cancel_booking(booking_id=ann.pk)  # St Mary's now holds one place
    assert status_of(cat) == Booking.Status.OFFERED


def test_a_place_passed_over_for_everyone_waiting_stays_open_to_other_organisations(capped):
    session = capped(capacity=3)
    book(session, "ann@stmarys.sch.uk")
    book(session, "bob@stmarys.sch.uk")
    dan = book(session, "dan@kingsway.sch.uk")
    cat = book(session, "cat@stmarys.sch.uk", waiting=True)

    services.cancel_booking(booking_id=dan.pk)

    cat.refresh_from_db()
    assert cat.is_waiting and cat.fair_share_waiting
    assert availability(session).state == State.FEW_LEFT
    assert book(session, "eve@whitley.sch.uk").is_confirmed


def test_raising_the_cap_offers_free_places_to_those_waiting_for_their_share(capped, programme):
    session = capped(cap=1)
    book(session, "ann@stmarys.sch.uk")
    bob = book(session, "bob@stmarys.sch.uk")
    cat = book(session, "cat@stmarys.sch.uk")

    programme.fair_share_cap = 2
    programme.save(update_fields=["fair_share_cap"])
    offered = waiting_list.offer_places_the_cap_frees(programme_id=programme.pk)

    assert [b.pk for b in offered] == [bob.pk]
    assert status_of(bob) == Booking.Status.OFFERED
    cat.refresh_from_db()
    assert cat.is_waiting and cat.fair_share_waiting


def test_places_given_straight_from_the_waiting_list_keep_to_the_share_too(capped):
    session = capped(capacity=3, confirm_from_waiting_list=True)
    book(session, "ann@stmarys.sch.uk")
    dan = book(session, "dan@kingsway.sch.uk")
    fay = book(session, "fay@kingsway.sch.uk")
    bob = book(session, "bob@stmarys.sch.uk", waiting=True)
    cat = book(session, "cat@stmarys.sch.uk", waiting=True)
    eve = book(session, "eve@whitley.sch.uk", waiting=True)

    services.cancel_booking(booking_id=dan.pk)
    services.cancel_booking(booking_id=fay.pk)

    assert (status_of(bob), status_of(cat), status_of(eve)) == (
        Booking.Status.CONFIRMED,  # St Mary's second place
        Booking.Status.WAITING,  # passed over: St Mary's has its two
        Booking.Status.CONFIRMED,
    )
    assert waiting_position(cat) == 1
    assert places_taken(session) == 3


def test_bookings_made_before_fair_shares_are_given_their_organisation(capped):
    migration = importlib.import_module("bookyourplace.bookings.migrations.0009_fair_shares")
    session = capped()
    ann = book(session, "ann@stmarys.sch.uk")
    sam = book(session, "sam@gmail.com", organisation="The Whitley Academy")
    Booking.objects.update(organisation_key="")

    migration.key_existing_bookings(apps, None)

    ann.refresh_from_db()
    sam.refresh_from_db()
    assert (ann.organisation_key, sam.organisation_key) == ("domain:stmarys.sch.uk", "name:whitleyacademy")
