"""The attendee's "Delete my details", from the manage page: what happens is explained, the
request goes to the organiser once, and the page says it has been asked."""

import pytest
from django.urls import reverse

from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent, ErasureRequest
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.privacy.subject_access import erase_details
from bookyourplace.public.tests.pages import manage_url_for


@pytest.fixture
def booking(session):
    return book(session, "alex.smith@coventry.gov.uk", first_name="Alex", last_name="Smith")


def _request_url(booking) -> str:
    return reverse("public:delete_my_details", kwargs={"token": manage_token(booking)})


def test_the_manage_page_offers_delete_my_details(client, booking):
    response = client.get(manage_url_for(booking))

    assert "Your personal details You can ask the organiser to delete the details they hold about you." in text_of(
        response
    )
    assert f'href="{_request_url(booking)}"' in response.content.decode()


def test_the_request_page_says_what_happens_before_anything_is_asked(client, booking):
    response = client.get(_request_url(booking))

    page = text_of(response)
    assert "The organiser will reply within one month." in page
    assert "They may keep some details where the law lets them" in page
    assert response["Cache-Control"] == "private, no-store"
    assert not ErasureRequest.objects.exists()


def test_asking_creates_one_request_for_the_organiser_audited(client, booking, organiser):
    response = client.post(_request_url(booking))

    assert response.status_code == 302
    page = text_of(client.get(response.url))
    assert f"We have sent your request to {organiser.name}. They will reply within one month." in page
    assert "You asked on" in page and "for your details to be deleted" in page
    assert "Delete my details" not in page
    asked = ErasureRequest.objects.get()
    assert (asked.email, asked.organiser_id, asked.source) == (
        "alex.smith@coventry.gov.uk",
        organiser.pk,
        ErasureRequest.Source.ATTENDEE,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ASKED_FOR_ERASURE)
    assert (event.actor_label, event.programme_id) == ("Alex Smith", booking.session.programme_id)


def test_asking_twice_says_it_is_already_asked(client, booking, make_session):
    client.post(_request_url(booking))
    other = book(make_session(title="The COM Network"), "alex.smith@coventry.gov.uk")

    response = client.post(_request_url(other), follow=True)

    assert "You have already asked for your details to be deleted." in text_of(response)
    assert ErasureRequest.objects.count() == 1


def test_the_request_page_after_asking_says_when_they_will_hear(client, booking):
    client.post(_request_url(booking))

    page = text_of(client.get(_request_url(booking)))

    assert "You asked on" in page and "The organiser will reply by" in page
    assert "Ask for my details to be deleted" not in page


def test_once_erased_the_link_finds_nothing_to_ask_about(client, booking):
    token = manage_token(booking)
    erase_details(
        email=booking.email,
        organiser_id=booking.session.programme.organiser_id,
        programme_ids=None,
        reason="They asked.",
        actor=SYSTEM,
    )

    asked = client.post(reverse("public:delete_my_details", kwargs={"token": token}))

    assert asked.status_code == 404
    assert not ErasureRequest.objects.filter(status=ErasureRequest.Status.OPEN).exists()


def test_a_wrong_link_is_not_found(client, booking):
    assert client.post(reverse("public:delete_my_details", kwargs={"token": "x" * 40})).status_code == 404
