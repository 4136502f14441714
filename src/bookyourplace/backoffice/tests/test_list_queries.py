"""Every back-office list costs the same number of queries for one row as for a page of rows.

A list that reads something more for each row (its person, its programme, its session) gets
slower with every row and falls over on a big programme; these tests catch that the day it is
written. Each one loads the page once with one row (the first request of a signed-in browser
may do extra work), counts the queries of a second load, adds rows, and expects that count.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.api_tokens import create_token, revoke_token
from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as, staff
from bookyourplace.backoffice.tests.test_messages import compose_url, preview, send_form
from bookyourplace.bookings import email_confirmation
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import attendee_details, book
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import ApprovalMode, Programme


def queries_of(client, url) -> int:
    client.get(url)  # warm: the first request of a signed-in browser may do extra work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_audit_log_costs_the_same_queries_for_one_event_as_for_forty(
    client, admin, organiser, programme, django_assert_num_queries
):
    url = reverse("backoffice:audit_log")
    # Forty events by twenty people across four programmes: each row names a person and a programme.
    programmes = [programme] + [
        Programme.objects.create(organiser=organiser, title=f"Week {n}", slug=f"week-{n}") for n in range(3)
    ]
    people = [make_person(organiser, Role.ORGANISER, email=f"p{n}@coventry.gov.uk").user for n in range(20)]
    for n in range(40):
        if n == 1:
            for_one = queries_of(client, url)
        record(
            actor=Actor(user=people[n % 20], ip_address="192.0.2.10"),
            action=AuditEvent.Action.EXPORTED,
            summary=f"Exported bookings {n}",
            subject=programmes[n % 4],
            programme_id=programmes[n % 4].pk,
        )

    with django_assert_num_queries(for_one):
        response = client.get(url)

    assert "Exported bookings 39" in text_of(response)


def test_people_costs_the_same_queries_for_one_person_as_for_thirty(
    client, admin, organiser, programme, django_assert_num_queries
):
    url = reverse("backoffice:people")
    for_one = queries_of(client, url)
    # Each with programmes to show, and some with an authenticator: what a row reads.
    for n in range(30):
        member = make_person(
            organiser,
            Role.ORGANISER,
            email=f"person{n}@coventry.gov.uk",
            last_name=f"Person{n}",
            programmes=(programme,),
        )
        if n % 2:
            TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True)

    with django_assert_num_queries(for_one):
        response = client.get(url)

    assert "Person29" in text_of(response)


@pytest.fixture
def coordinator_client(client, organiser, programme):
    sign_in_as(client, staff(organiser, "organiser", programme))
    return client


def waiting_for_approval(session, email):
    booking = bookings.book_place(session_id=session.pk, attendee=attendee_details(email))
    if booking.is_unconfirmed_email:
        booking = email_confirmation.confirm_email(booking_id=booking.pk)
    assert booking.status == Booking.Status.PENDING
    return booking


def test_approvals_cost_the_same_queries_for_one_booking_as_for_thirty(
    coordinator_client, programme, make_session, django_assert_num_queries
):
    Programme.objects.filter(pk=programme.pk).update(
        approval_mode=ApprovalMode.TRUSTED_DOMAINS, trusted_domains="coventry.gov.uk"
    )
    session = make_session(capacity=100)
    url = reverse("backoffice:approvals", args=[session.pk])
    waiting_for_approval(session, "first@gmail.com")
    for_one = queries_of(coordinator_client, url)
    for n in range(29):
        waiting_for_approval(session, f"person{n}@gmail.com")

    with django_assert_num_queries(for_one):
        response = coordinator_client.get(url)

    assert "person28@gmail.com" in text_of(response)


def test_the_waiting_list_costs_the_same_queries_for_one_person_as_for_thirty(
    coordinator_client, make_session, django_assert_num_queries
):
    session = make_session(capacity=1)
    book(session, "booked@coventry.gov.uk")
    url = reverse("backoffice:waiting_list", args=[session.pk])
    book(session, "first@coventry.gov.uk", waiting=True)
    for_one = queries_of(coordinator_client, url)
    for n in range(29):
        book(session, f"person{n}@coventry.gov.uk", waiting=True)

    with django_assert_num_queries(for_one):
        response = coordinator_client.get(url)

    assert "person28@coventry.gov.uk" in text_of(response)


def send_message(client, session) -> str:
    """Preview and send a message to the session's attendees as an organiser does; its page."""
    sent = client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    assert sent.status_code == 302, text_of(sent)
    return sent["Location"]


def test_a_messages_recipients_cost_the_same_queries_for_one_as_for_thirty(
    coordinator_client, make_session, django_assert_num_queries
):
    one, many = make_session(capacity=100, title="One"), make_session(capacity=100, title="Many")
    book(one, "first@coventry.gov.uk")
    for n in range(30):
        book(many, f"person{n}@coventry.gov.uk")
    to_one, to_many = send_message(coordinator_client, one), send_message(coordinator_client, many)
    for_one = queries_of(coordinator_client, to_one)

    with django_assert_num_queries(for_one):
        response = coordinator_client.get(to_many)

    assert "person29@coventry.gov.uk" in text_of(response)


def test_a_programmes_sessions_cost_the_same_queries_for_one_as_for_ten(
    coordinator_client, programme, make_session, django_assert_num_queries
):
    url = reverse("backoffice:programme", args=[programme.pk])
    book(make_session(title="Session 0"), "first@coventry.gov.uk")
    for_one = queries_of(coordinator_client, url)
    for n in range(1, 10):
        book(make_session(title=f"Session {n}"), f"person{n}@coventry.gov.uk")

    with django_assert_num_queries(for_one):
        response = coordinator_client.get(url)

    assert "Session 9" in text_of(response)


def test_the_messages_sent_cost_the_same_queries_for_one_as_for_five(
    coordinator_client, session, django_assert_num_queries
):
    book(session, "first@coventry.gov.uk")
    send_message(coordinator_client, session)
    url = compose_url(session)
    for_one = queries_of(coordinator_client, url)
    for _ in range(4):
        send_message(coordinator_client, session)

    with django_assert_num_queries(for_one):
        coordinator_client.get(url)


def test_api_tokens_cost_the_same_queries_for_one_as_for_twenty(client, admin, organiser, django_assert_num_queries):
    url = reverse("backoffice:integrations")
    hana = Actor(user=admin.user)
    create_token(organiser=organiser, name="Token 0", scopes=["read:bookings"], expires_at=None, actor=hana)
    for_one = queries_of(client, url)
    # Each created and some revoked by a different person: what a row reads.
    for n in range(1, 20):
        by = Actor(user=make_person(organiser, Role.ADMINISTRATOR, email=f"a{n}@coventry.gov.uk").user)
        token, _secret = create_token(
            organiser=organiser, name=f"Token {n}", scopes=["read:reports"], expires_at=None, actor=by
        )
        if n % 2:
            revoke_token(token=token, actor=by)

    with django_assert_num_queries(for_one):
        response = client.get(url)

    assert "Token 19" in text_of(response)


def test_council_sign_in_costs_the_same_queries_for_one_provider_as_for_ten(
    client, admin, organiser, django_assert_num_queries
):
    from bookyourplace.accounts.models import SignInProvider

    url = reverse("backoffice:council_sign_in_providers")

    def add(n):
        SignInProvider.objects.create(
            organiser=organiser,
            name=f"Council {n}",
            issuer="https://login.example.org",
            client_id="c",
            client_secret="s",
        )

    add(0)
    for_one = queries_of(client, url)
    for n in range(1, 10):
        add(n)

    with django_assert_num_queries(for_one):
        response = client.get(url)

    assert "Sign in with Council 9" in text_of(response)
