""" "See all my bookings" over HTTP: the same answer for every address, the emailed link used
only by the button's POST, the signing-in that ends, every booking of the person's (and only
theirs) across organisers, each action to the manage link's pages, the rate limits."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking, SignInLink
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book
from bookyourplace.certificates.testing import attended_booking
from bookyourplace.core.testing import text_of
from bookyourplace.feedback.links import feedback_path
from bookyourplace.programmes.models import Organiser, Programme

ALEX = "alex@coventry.gov.uk"
BEA = "bea@warwickshire.gov.uk"
ASK = reverse("public:own_record")
LIST = reverse("public:own_record_list")
LINK = re.compile(r"/my-bookings/sign-in/([A-Za-z0-9_-]{32})/")

pytestmark = pytest.mark.django_db


def sign_in_url(token: str) -> str:
    return reverse("public:own_record_sign_in", kwargs={"token": token})


def action_url(booking, action: str) -> str:
    return reverse("public:own_record_action", kwargs={"booking_id": booking.pk, "action": action})


@pytest.fixture
def alex(session, run_worker):
    """Alex's booking, its confirmation already sent."""
    booking = book(session, ALEX, first_name="Alex")
    run_worker()
    mail.outbox.clear()
    return booking


def emailed_token(client, email, run_worker) -> str:
    client.post(ASK, {"email": email})
    run_worker()
    return next(LINK.search(m.body).group(1) for m in reversed(mail.outbox) if m.to == [email] and LINK.search(m.body))


def signed_in(client, email, run_worker) -> Client:
    token = emailed_token(client, email, run_worker)
    response = client.post(sign_in_url(token))
    assert response.status_code == 302 and response["Location"] == LIST
    return client


@pytest.fixture
def other_organisers_programme(db):
    warwickshire = Organiser.objects.create(
        name="Warwickshire Safeguarding", slug="warwickshire", contact_email="safeguarding@warwickshire.example"
    )
    return Programme.objects.create(
        organiser=warwickshire, title="Warwickshire Prevent Week", slug="warwickshire-prevent", status="published"
    )


# -- Asking ------------------------------------------------------------------------------------


def test_the_page_asks_for_an_email_address(client):
    response = client.get(ASK)

    assert response.status_code == 200
    assert "See all your bookings" in text_of(response)
    assert 'type="email"' in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_a_known_and_an_unknown_address_get_the_same_answer_and_the_same_work(client, alex, run_worker):
    tasks_before = DBTaskResult.objects.count()
    known = client.post(ASK, {"email": ALEX})
    tasks_after_known = DBTaskResult.objects.count()
    unknown = client.post(ASK, {"email": "nobody@coventry.gov.uk"})

    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace(ALEX, "@") == text_of(unknown).replace("nobody@coventry.gov.uk", "@")
    assert "If we hold bookings for" in text_of(known)
    varying = ("Content-Length", "X-Request-ID")
    assert {k: v for k, v in known.items() if k not in varying} == {
        k: v for k, v in unknown.items() if k not in varying
    }
    assert tasks_after_known == tasks_before + 1  # one task each
    assert DBTaskResult.objects.count() == tasks_before + 2
    assert mail.outbox == []  # nothing sent inside the request

    run_worker()

    assert [m.to for m in mail.outbox] == [[ALEX]]


def test_an_address_in_the_wrong_shape_is_asked_again(client):
    response = client.post(ASK, {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in text_of(response)
    assert DBTaskResult.objects.count() == 0


# -- The link --------------------------------------------------------------------------------


def test_opening_the_link_does_not_use_it_only_continue_does(client, alex, run_worker):
    token = emailed_token(client, ALEX, run_worker)

    for _ in range(3):  # a mail scanner, a preview, the person
        opened = client.get(sign_in_url(token))
        assert opened.status_code == 200
        assert "Continue" in text_of(opened)
    assert SignInLink.objects.get().used_at is None

    used = client.post(sign_in_url(token))

    assert used.status_code == 302 and used["Location"] == LIST
    assert SignInLink.objects.get().used_at is not None


def test_a_used_link_says_so_and_offers_a_new_one(client, alex, run_worker):
    token = emailed_token(client, ALEX, run_worker)
    client.post(sign_in_url(token))

    again = Client().post(sign_in_url(token))
    opened = Client().get(sign_in_url(token))

    for response in (again, opened):
        assert response.status_code == 404
        assert "This link has run out or has been used" in text_of(response)
        assert "Send me a link" in text_of(response)


def test_an_expired_link_signs_nobody_in(client, alex, run_worker, settings):
    token = emailed_token(client, ALEX, run_worker)

    with time_machine.travel(timezone.now() + timedelta(minutes=settings.BYP_SIGN_IN_LINK_MINUTES + 1)):
        opened = client.get(sign_in_url(token))
        used = client.post(sign_in_url(token))
        listed = client.get(LIST)

    assert opened.status_code == used.status_code == 404
    assert "This link has run out or has been used" in text_of(used)
    assert listed.status_code == 302 and listed["Location"] == ASK


def test_a_made_up_link_is_refused(client):
    assert client.get(sign_in_url("A" * 32)).status_code == 404
    assert client.post(sign_in_url("A" * 32)).status_code == 404


# -- Signed in ------------------------------------------------------------------------------------


def test_the_list_shows_bookings_with_two_organisers_and_nobody_else_s(
    client, alex, make_session, other_organisers_programme, run_worker
):
    warwickshire_session = make_session(programme=other_organisers_programme, title="Prevent awareness")
    book(warwickshire_session, ALEX)
    book(alex.session, BEA, first_name="Bea", last_name="Jones")

    signed_in(client, ALEX, run_worker)
    page = text_of(client.get(LIST))

    assert "Coventry Prevent Partnership" in page and "Warwickshire Safeguarding" in page
    assert "Self-Initiated Terrorism" in page and "Prevent awareness" in page
    assert ALEX in page
    assert "Bea" not in page and BEA not in page


def test_the_list_groups_offers_waiting_places_past_certificates_and_feedback(
    client, make_session, run_worker, settings
):
    full = make_session(capacity=1, title="Full session")
    book(full, "someone@else.example")
    waiting = book(full, ALEX, waiting=True)
    offered_session = make_session(capacity=1, title="Offered session")
    taken = book(offered_session, "someone@else.example")
    offer = book(offered_session, ALEX, waiting=True)
    cancel_booking(booking_id=taken.pk)
    attended = attended_booking(make_session(title="Attended session"), ALEX)
    run_worker()
    assert Booking.objects.get(pk=offer.pk).is_offered

    signed_in(client, ALEX, run_worker)
    response = client.get(LIST)
    page = text_of(response)

    assert page.index("Places offered to you") < page.index("Offered session") < page.index("Upcoming")
    assert page.index("Upcoming") < page.index("Full session") < page.index("Past and cancelled")
    assert page.index("Past and cancelled") < page.rindex("Attended session")
    assert "On the waiting list" in page and "Leave the waiting list" in page
    assert "Give feedback on Attended session" in page
    assert "Certificate for Attended session" in page
    html = response.content.decode()
    for booking, action in [(offer, "accept"), (waiting, "cancel"), (attended, "certificate"), (attended, "feedback")]:
        assert action_url(booking, action) in html


def test_the_list_needs_as_many_queries_for_many_bookings_as_for_one(
    client, alex, make_session, other_organisers_programme, run_worker
):
    signed_in(client, ALEX, run_worker)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200

    for n in range(3):
        book(make_session(title=f"More {n}"), ALEX)
        book(make_session(programme=other_organisers_programme, title=f"Elsewhere {n}"), ALEX)
        attended_booking(make_session(title=f"Attended {n}"), ALEX)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert "Elsewhere 2" in text_of(response) and "Attended 2" in text_of(response)
    assert len(many) == len(one) + 3  # the certificates, attendance and feedback, read once each
    assert len(many) <= 12


def test_each_action_goes_to_the_page_its_manage_link_would(client, run_worker, make_session):
    attended = attended_booking(make_session(title="Attended session"), ALEX)
    run_worker()
    mail.outbox.clear()
    signed_in(client, ALEX, run_worker)
    token = manage_token(attended)

    expected = {
        "manage": reverse("public:manage", kwargs={"token": token}),
        "cancel": reverse("public:cancel", kwargs={"token": token}),
        "accept": reverse("public:manage", kwargs={"token": token}),
        "calendar": reverse("public:manage_calendar", kwargs={"token": token}),
        "certificate": reverse("public:certificate", kwargs={"token": token}),
        "feedback": feedback_path(attended),
    }
    for action, where in expected.items():
        response = client.get(action_url(attended, action))
        assert response.status_code == 302, action
        assert response["Location"] == where
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(action_url(attended, "certificate"), follow=True)["Content-Type"] == "application/pdf"


def test_another_person_s_booking_is_not_found_on_every_action(client, alex, run_worker):
    bea = book(alex.session, BEA, first_name="Bea")
    signed_in(client, ALEX, run_worker)

    for action in ["manage", "cancel", "accept", "calendar", "certificate", "feedback"]:
        assert client.get(action_url(bea, action)).status_code == 404, action
        assert client.get(action_url(alex, action)).status_code == 302, action
    assert client.get(action_url(alex, "delete")).status_code == 404
    missing = reverse("public:own_record_action", kwargs={"booking_id": 999999, "action": "manage"})
    assert client.get(missing).status_code == 404


def test_without_signing_in_the_list_and_actions_ask_for_an_email(client, alex):
    for url in (LIST, action_url(alex, "manage")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == ASK


def test_signing_in_ends_after_its_hours(client, alex, run_worker, settings):
    settings.BYP_OWN_RECORD_SESSION_HOURS = 3
    signed_in(client, ALEX, run_worker)

    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=59)):
        assert client.get(LIST).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        ended = client.get(LIST)
        action = client.get(action_url(alex, "manage"))

    assert ended.status_code == 302 and ended["Location"] == ASK
    assert action.status_code == 302 and action["Location"] == ASK
    assert client.get(LIST).status_code == 302  # still ended now


def test_signing_out_ends_it(client, alex, run_worker):
    signed_in(client, ALEX, run_worker)

    response = client.post(reverse("public:own_record_sign_out"), follow=True)

    assert "You have signed out." in text_of(response)
    assert client.get(LIST).status_code == 302
    assert client.get(action_url(alex, "manage")).status_code == 302


def test_signing_out_needs_a_post(client):
    assert client.get(reverse("public:own_record_sign_out")).status_code == 405


# -- Rate limits ------------------------------------------------------------------------------


def test_asking_again_and_again_for_one_address_is_refused(rate_limits_on, alex):
    answers = [Client(REMOTE_ADDR=f"198.51.100.{n}").post(ASK, {"email": ALEX}) for n in range(8)]

    assert [r.status_code for r in answers[:5]] == [200] * 5
    assert answers[5].status_code == 429
    assert "Sorry, there have been too many attempts" in text_of(answers[5])


def test_asking_for_many_addresses_from_one_client_is_refused(rate_limits_on):
    client = Client(REMOTE_ADDR="198.51.100.66")
    answers = [client.post(ASK, {"email": f"person{n}@example.org"}) for n in range(25)]

    assert answers[19].status_code == 200
    assert answers[20].status_code == 429
    assert DBTaskResult.objects.count() == 20


# -- Links to it ---------------------------------------------------------------------------------


def test_the_footer_the_manage_page_and_booking_emails_link_to_it(client, session, run_worker):
    booking = book(session, ALEX)
    run_worker()

    assert ASK in client.get(reverse("public:home")).content.decode()
    manage = client.get(reverse("public:manage", kwargs={"token": manage_token(booking)}))
    assert "See all my bookings" in text_of(manage)
    confirmation = mail.outbox[-1]
    assert f"See all your bookings: http://testserver{ASK}" in confirmation.body
    assert f"http://testserver{ASK}" in confirmation.alternatives[0].content


def test_the_line_manager_s_copy_does_not_offer_them_all_their_bookings(session, run_worker):
    book(session, ALEX, line_manager_email="manager@coventry.gov.uk")
    run_worker()

    copy = next(m for m in mail.outbox if m.to == ["manager@coventry.gov.uk"])
    assert "See all your bookings" not in copy.body
    assert "See all your bookings" not in copy.alternatives[0].content


def test_the_sign_in_link_is_masked_in_logs():
    from bookyourplace.core.log_masking import mask_secrets

    assert mask_secrets("GET /my-bookings/sign-in/abcdefghijklmnopqrstuvwxyz012345/") == (
        "GET /my-bookings/sign-in/[token]/"
    )
