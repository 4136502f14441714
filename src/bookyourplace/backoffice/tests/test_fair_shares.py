"""Fair shares in the back office (issue 19, point 3): the cap is one of the programme's booking
rules; organisers booking for someone keep to it, and administrators may book beyond it."""

import pytest
from django.urls import reverse

from bookyourplace.backoffice.tests.test_certificate_settings import RULES, rules_url
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of


@pytest.fixture
def capped_session(programme, make_session, book):
    """Two places per school; St Mary's has both of its places, and Cat waits for one."""
    programme.fair_share_cap = 2
    programme.save(update_fields=["fair_share_cap"])
    session = make_session(capacity=10)
    book(session, "ann@stmarys.sch.uk")
    book(session, "bob@stmarys.sch.uk")
    book(session, "cat@stmarys.sch.uk")
    return session


# --- The booking rules page ----------------------------------------------------------------------


def test_the_booking_rules_set_and_clear_the_places_per_organisation(client, coordinator, programme):
    page = text_of(client.get(rules_url(programme)))
    capped = client.post(rules_url(programme), RULES | {"fair_share_cap": "2"})
    programme.refresh_from_db()
    cap_saved = programme.fair_share_cap
    cleared = client.post(rules_url(programme), RULES | {"fair_share_cap": ""})
    programme.refresh_from_db()

    assert "Places one organisation can have on each session (optional)" in page
    assert capped.status_code == 302 and cap_saved == 2
    assert cleared.status_code == 302 and programme.fair_share_cap is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Allow at least 1 place per organisation, or leave it empty for no limit"),
        ("two", "Enter a whole number of places, like 2, or leave it empty"),
        ("1000", "Enter 999 places or fewer"),
    ],
)
def test_the_places_per_organisation_must_be_a_number_of_places(client, coordinator, programme, typed, message):
    response = client.post(rules_url(programme), RULES | {"fair_share_cap": typed})

    page = text_of(response)
    assert f"There is a problem {message}" in page
    assert 'href="#id_fair_share_cap"' in response.content.decode()
    assert "govuk-input--error" in response.content.decode()
    programme.refresh_from_db()
    assert programme.fair_share_cap is None


def test_raising_the_cap_gives_free_places_to_people_waiting_for_their_share(
    client, coordinator, programme, capped_session
):
    cat = Booking.objects.get(email="cat@stmarys.sch.uk")
    assert cat.fair_share_waiting

    client.post(rules_url(programme), RULES | {"fair_share_cap": "3"})

    cat.refresh_from_db()
    assert cat.status == Booking.Status.OFFERED


# --- Booking for someone -------------------------------------------------------------------------


def phoned(email):
    return booking_form_data(email=email, organisation="St Mary's Primary")


def test_an_organiser_booking_for_someone_keeps_to_the_share_and_is_told_so(client, coordinator, capped_session):
    url = reverse("backoffice:session_booking_new", args=[capped_session.pk])
    form = text_of(client.get(url))

    response = client.post(url, phoned("dan@stmarys.sch.uk"), follow=True)

    assert "even if their organisation already has its share" not in form
    page = text_of(response)
    assert "On the waiting list" in page
    assert "Their organisation already has all the places it may have on this session" in page
    assert Booking.objects.get(email="dan@stmarys.sch.uk").fair_share_waiting


def test_an_administrator_may_book_beyond_the_share(client, admin, capped_session):
    url = reverse("backoffice:session_booking_new", args=[capped_session.pk])
    form = text_of(client.get(url))

    kept = client.post(url, phoned("dan@stmarys.sch.uk"))
    beyond = client.post(url, phoned("eve@stmarys.sch.uk") | {"beyond_fair_share": "on"})

    assert "Give them a place even if their organisation already has its share" in form
    assert kept.status_code == beyond.status_code == 302
    assert Booking.objects.get(email="dan@stmarys.sch.uk").fair_share_waiting
    assert Booking.objects.get(email="eve@stmarys.sch.uk").is_confirmed
