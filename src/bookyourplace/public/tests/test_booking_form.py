"""The booking form: GOV.UK patterns and messages, the "check your email" answer that
reveals nothing about who has booked, and the honeypot."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email
from bookyourplace.public.tests.pages import book_url

# --- Booking form ---------------------------------------------------------------------------


def test_booking_form_follows_govuk_patterns(client, session):
    html = client.get(book_url(session)).content.decode()

    assert '<label class="govuk-label govuk-label--s" for="id_first_name">First name</label>' in html
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html
    assert re.search(r'<input type="email" name="email" autocomplete="email" spellcheck="false"', html)
    assert "Access needs (optional)" in html
    assert "*" not in text_of(client.get(book_url(session)))
    assert f'href="/organisers/{session.programme.organiser.slug}/privacy/"' in html
    assert "csrfmiddlewaretoken" in html


def test_empty_booking_form_lists_every_problem_with_links_to_the_fields(client, session):
    response = client.post(book_url(session), {})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Book a place" in html
    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert summary == [
        ("id_first_name", "Enter your first name"),
        ("id_last_name", "Enter your last name"),
        ("id_email", "Enter your work email address"),
        ("id_organisation", "Enter the name of your organisation"),
        ("id_sector_0", "Select the sector you work in"),
        ("id_job_title", "Enter your job title or role"),
        ("id_consent", "Confirm that you agree to how we use your information"),
    ]
    assert 'aria-describedby="id_first_name-error"' in html
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "sam.patel-at-nhs.net", "Enter an email address in the correct format, like name@example.com"),
        ("first_name", "S" * 101, "First name must be 100 characters or fewer"),
        ("organisation", "O" * 201, "Organisation must be 200 characters or fewer"),
        ("sector", "astronauts", "Select the sector you work in"),
        ("access_needs", "x" * 1001, "Access needs must be 1000 characters or fewer"),
        ("first_name", "Sam\x00", "First name must not contain line breaks or special characters"),
        # Issue 10, point 5: a line break in a name broke the line manager's copy's headers.
        (
            "first_name",
            "Sam\r\nBcc: everyone@example.org",
            "First name must not contain line breaks or special characters",
        ),
        ("last_name", "Patel\n", "Last name must not contain line breaks or special characters"),
        (
            "organisation",
            "University\u2028Hospitals",
            "Organisation must not contain line breaks or special characters",
        ),
        ("job_title", "Nurse\u202e", "Job title or role must not contain line breaks or special characters"),
        ("job_title", "Safeguarding\tnurse", "Job title or role must not contain line breaks or special characters"),
    ],
)
def test_booking_form_gives_a_specific_message(client, session, field, value, message):
    response = client.post(book_url(session), booking_form_data(**{field: value}))

    assert message in response.content.decode()
    assert f"There is a problem {message}" in text_of(response)  # in the error summary too
    assert Booking.objects.count() == 0


def test_booking_form_keeps_what_was_typed_when_there_is_an_error(client, session):
    response = client.post(book_url(session), booking_form_data(email="not an email"))

    html = response.content.decode()
    assert 'value="Sam"' in html and 'value="University Hospitals Coventry"' in html
    assert 'value="health" checked' in html


def test_booking_shows_check_your_email_without_the_booking(client, session, run_worker):
    response = client.post(book_url(session), booking_form_data(email="Sam.Patel@NHS.net"), follow=True)

    booking = Booking.objects.get()
    page = text_of(response)
    assert response.redirect_chain[-1][0].endswith("/book/confirmed/")
    assert f"Check your email We are sending an email to sam.patel@nhs.net about {session.title}." in page
    assert "check your junk or spam folder" in page.lower()
    assert "If it has still not arrived, contact Coventry Prevent Partnership at prevent@coventry.example" in page
    # The reference, status and manage link go only to the inbox (issue 10, point 7).
    assert booking.reference not in page
    assert "Booking confirmed" not in page
    assert manage_token(booking) not in response.content.decode()
    run_worker()
    [confirmation] = mail.outbox
    assert booking.reference in confirmation.body and manage_token(booking) in confirmation.body


def test_confirmation_page_is_only_for_the_browser_that_booked(client, session):
    client.post(book_url(session), booking_form_data())
    stranger = Client()

    response = stranger.get(reverse("public:booking_confirmed", args=[session.programme.slug, session.pk]))

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()


def test_check_your_email_page_is_only_for_the_session_booked(client, make_session):
    booked, other = make_session(), make_session(title="Another session")
    client.post(book_url(booked), booking_form_data())

    response = client.get(reverse("public:booking_confirmed", args=[other.programme.slug, other.pk]))

    assert response.status_code == 302
    assert response["Location"] == other.get_absolute_url()


def test_booking_twice_with_the_same_email_resends_the_link_and_reveals_nothing(client, session, run_worker):
    client.post(book_url(session), booking_form_data())
    other_browser = Client()

    response = other_browser.post(
        book_url(session), booking_form_data(first_name="Mallory", email="SAM.PATEL@nhs.net"), follow=True
    )

    page = text_of(response)
    assert "Check your email We are sending an email to sam.patel@nhs.net" in page
    assert "already" not in page
    assert "Patel" not in page and Booking.objects.get().reference not in page
    assert Booking.objects.count() == 1
    run_worker()
    assert [m.subject for m in mail.outbox] == [
        f"Booking confirmed: {session.title}",
        f"Manage your booking: {session.title}",
    ]
    assert manage_token(Booking.objects.get()) in mail.outbox[1].body


# --- Nobody can learn whether a person booked (issue 10, point 7) -----------------------------


def _final_answer(session, email, **data):
    """What a stranger's browser ends up with after posting the form: the last response,
    its status, its headers (cookie values aside) and its body with the address typed taken out."""
    browser = Client()
    first = browser.post(book_url(session), booking_form_data(email=email, **data))
    final = browser.get(first["Location"]) if first.status_code == 302 else first
    # Expires is the clock's time (never_cache), which moves between the two requests; each
    # request has its own id (X-Request-ID, core/request_id.py), whoever posts.
    moving = ("Expires", "X-Request-ID")
    headers = {name: value for name, value in first.headers.items() if name not in ("Set-Cookie", *moving)}
    return (
        first.status_code,
        headers,
        sorted(first.cookies),
        final.status_code,
        {name: value for name, value in final.headers.items() if name not in moving},
        final.content.replace(email.encode(), b"ADDRESS"),
    )


@pytest.mark.parametrize("capacity", [1, 50], ids=["full", "open"])
@pytest.mark.parametrize("waiting_list", ["", "yes"], ids=["place", "waiting-list"])
def test_a_booked_and_an_unbooked_address_get_the_same_answer(
    make_session, attendee_details, run_worker, capacity, waiting_list
):
    session = make_session(capacity=capacity)
    booked = services.book_place(session_id=session.pk, attendee=attendee_details("booked@example.org"))
    run_worker()
    mail.outbox.clear()

    # Addresses of the same length, so even Content-Length cannot tell them apart.
    for_booked = _final_answer(session, "booked@example.org", waiting_list=waiting_list)
    for_stranger = _final_answer(session, "nobody@example.org", waiting_list=waiting_list)

    assert for_booked == for_stranger
    assert Booking.objects.filter(email="booked@example.org").count() == 1
    run_worker()
    to_booked = [m for m in mail.outbox if m.to == ["booked@example.org"]]
    assert [m.subject for m in to_booked] == [f"Manage your booking: {session.title}"]
    assert manage_token(booked) in to_booked[0].body


# --- The honeypot (issue 10, point 5) --------------------------------------------------------


def test_booking_form_has_a_honeypot_people_never_see_or_hear(client, session):
    html = client.get(book_url(session)).content.decode()

    box = re.search(
        r'<div class="byp-honeypot" aria-hidden="true"><label for="id_website">[^<]+</label><input [^>]*>', html
    )
    assert box, "no hidden honeypot"
    assert 'tabindex="-1"' in box.group() and 'autocomplete="off"' in box.group() and 'name="website"' in box.group()
    assert "style=" not in box.group()  # hidden by the stylesheet: the CSP forbids inline styles


@pytest.mark.parametrize("capacity", [1, 50], ids=["full-waiting-list", "open"])
def test_a_filled_honeypot_books_nothing_and_answers_as_a_booking(make_session, attendee_details, caplog, capacity):
    from bookyourplace.privacy.models import AuditEvent

    session = make_session(capacity=capacity)
    if capacity == 1:
        services.book_place(session_id=session.pk, attendee=attendee_details("first@example.org"))
    waiting = "yes" if capacity == 1 else ""
    by_a_person = _final_answer(session, "person@example.org", waiting_list=waiting)
    kept = (Booking.objects.count(), Email.objects.count(), AuditEvent.objects.count())

    with caplog.at_level("WARNING", logger="bookyourplace.public.views"):
        by_a_script = _final_answer(
            session, "script@example.org", waiting_list=waiting, website="https://pills.example"
        )

    # The script cannot tell it was caught; nothing of it is kept, not even in the log.
    assert by_a_script == by_a_person
    assert (Booking.objects.count(), Email.objects.count(), AuditEvent.objects.count()) == kept
    assert "honeypot" in caplog.text
    assert "script@example.org" not in caplog.text and "Patel" not in caplog.text


def test_a_filled_honeypot_on_a_full_session_gets_fully_booked_like_anyone(client, make_session, attendee_details):
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("first@example.org"))

    response = client.post(book_url(session), booking_form_data(website="x"))

    assert response.status_code == 409
    assert "Sorry, this session is fully booked." in text_of(response)


def test_on_a_full_session_a_booked_address_is_told_fully_booked_like_anyone(client, make_session, attendee_details):
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("booked@example.org"))

    response = client.post(book_url(session), booking_form_data(email="booked@example.org"))

    assert response.status_code == 409
    assert "Fully booked" in text_of(response)
    assert "already" not in text_of(response)


def test_booking_a_full_session_says_fully_booked(client, make_session, attendee_details):
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("first@example.org"))

    response = client.post(book_url(session), booking_form_data())

    assert response.status_code == 409
    assert "Fully booked" in text_of(response)
    assert Booking.objects.count() == 1


def test_booking_form_is_not_offered_when_booking_has_closed(client, make_session):
    session = make_session(booking_closes_at=timezone.now() - timedelta(hours=1))

    assert "Booking closed" in text_of(client.get(book_url(session)))
    assert client.post(book_url(session), booking_form_data()).status_code == 409
    assert Booking.objects.count() == 0


def test_booking_form_refuses_a_post_without_the_csrf_token(session):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(book_url(session), booking_form_data())

    assert response.status_code == 403
    assert "Your form expired" in text_of(response)
    assert Booking.objects.count() == 0
