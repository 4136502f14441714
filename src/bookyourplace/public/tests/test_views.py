import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import Programme, Session

SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


def book_url(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def manage_url_for(booking):
    return reverse("public:manage", kwargs={"token": manage_token(booking)})


# --- Programme and session pages ------------------------------------------------------------


def test_programme_page_groups_sessions_under_their_day(client, programme, make_session):
    monday = timezone.datetime(2027, 1, 18, 13, 0, tzinfo=programme.tz)
    make_session(title="School Massacre Phenomenon", subtitle="High-School Violence", starts_at=monday)
    make_session(
        title="From Investigation to Conviction",
        starts_at=monday + timedelta(days=3, hours=-1, minutes=-15),
        delivery=Session.Delivery.IN_PERSON,
        venue="Friargate",
        room="Room 1.4",
        platform="",
        joining_url="",
    )

    page = text_of(client.get(programme.get_absolute_url()))

    assert "Monday 18 January 2027 School Massacre Phenomenon High-School Violence Time: 13:00 to 15:00" in page
    assert "Delivery: Online: Microsoft Teams" in page
    assert "Thursday 21 January 2027 From Investigation to Conviction Time: 11:45 to 13:45" in page
    assert "Delivery: In person: Room 1.4, Friargate" in page


def test_programme_page_shows_each_sessions_state(client, programme, make_session, attendee_details):
    make_session(title="Open session", capacity=50)
    few = make_session(title="Nearly full session", capacity=4)
    full = make_session(title="Full session", capacity=1)
    make_session(title="Past session", starts_at=timezone.now() - timedelta(days=2))
    make_session(title="Cancelled session", status=Session.Status.CANCELLED)
    services.book_place(session_id=few.pk, attendee=attendee_details("a@example.org"))
    services.book_place(session_id=full.pk, attendee=attendee_details("a@example.org"))

    page = text_of(client.get(programme.get_absolute_url()))

    assert re.search(r"Open session .*? Book your place : Open session", page)
    assert re.search(r"Nearly full session .*? 3 places left", page)
    assert re.search(r"Full session .*? Fully booked", page)
    assert re.search(r"Past session .*? Booking closed", page)
    assert re.search(r"Cancelled session .*? Cancelled", page)
    assert page.count("Book your place") == 2  # only the open and nearly full sessions


def test_programme_page_costs_the_same_queries_for_one_session_or_many(
    client, programme, make_session, django_assert_num_queries, attendee_details
):
    session = make_session()
    services.book_place(session_id=session.pk, attendee=attendee_details())
    client.get(programme.get_absolute_url())  # warm the session/auth machinery
    cache.clear()  # measure rendering, not the page cache (test_page_cache.py)
    with django_assert_num_queries(3) as one:  # the page's version, the programme, its sessions
        client.get(programme.get_absolute_url())
    for n in range(4):
        extra = make_session(title=f"Extra {n}")
        services.book_place(session_id=extra.pk, attendee=attendee_details(f"p{n}@example.org"))

    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(programme.get_absolute_url())


def test_draft_programme_is_not_public(client, programme, session):
    Programme.objects.update(status=Programme.Status.DRAFT)

    assert client.get(programme.get_absolute_url()).status_code == 404
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(book_url(session)).status_code == 404


def test_joining_link_never_appears_on_public_pages(client, programme, session, attendee_details):
    services.book_place(session_id=session.pk, attendee=attendee_details())
    pages = [
        client.get("/"),
        client.get(programme.get_absolute_url()),
        client.get(session.get_absolute_url()),
        client.get(book_url(session)),
        client.post(book_url(session), booking_form_data(email="")),
        client.post(book_url(session), booking_form_data(), follow=True),
        client.post(book_url(session), booking_form_data(), follow=True),  # already booked
    ]

    for page in pages:
        assert SECRET_LINK not in page.content.decode()
        assert "secret-joining-link" not in page.content.decode()


def test_session_page_shows_every_public_detail(client, make_session):
    session = make_session(
        title="Order of Nine Angles (O9A)",
        subtitle="Occultist Extremism and Prevent",
        description="<p>This briefing provides an overview of the <b>Order of Nine Angles</b>.</p>",
    )

    page = text_of(client.get(session.get_absolute_url()))

    assert "Order of Nine Angles (O9A) Occultist Extremism and Prevent" in page
    assert "This briefing provides an overview of the Order of Nine Angles ." in page
    assert "Delivery Online: Microsoft Teams" in page
    assert "We send the joining link to confirmed attendees by email" in page


def test_session_description_is_stored_sanitised(make_session):
    session = make_session(description='<p onclick="steal()">Hi<script>alert(1)</script> <b>there</b></p>')

    assert Session.objects.get(pk=session.pk).description == "<p>Hi <b>there</b></p>"


# --- Booking form ---------------------------------------------------------------------------


def test_booking_form_follows_govuk_patterns(client, session):
    html = client.get(book_url(session)).content.decode()

    assert '<label class="govuk-label govuk-label--s" for="id_first_name">First name</label>' in html
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html
    assert re.search(r'<input type="email" name="email" autocomplete="email" spellcheck="false"', html)
    assert "Access needs (optional)" in html
    assert "*" not in text_of(client.get(book_url(session)))
    assert 'href="/privacy/"' in html
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
    # Expires is the clock's time (never_cache), which moves between the two requests.
    headers = {name: value for name, value in first.headers.items() if name not in ("Set-Cookie", "Expires")}
    return (
        first.status_code,
        headers,
        sorted(first.cookies),
        final.status_code,
        {name: value for name, value in final.headers.items() if name != "Expires"},
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


# --- Manage your booking --------------------------------------------------------------------


@pytest.fixture
def booking(session, attendee_details):
    return services.book_place(
        session_id=session.pk, attendee=attendee_details(first_name="<script>alert('x')</script>")
    )


def test_manage_page_shows_the_booking_and_the_joining_link(client, booking):
    response = client.get(manage_url_for(booking))

    html = response.content.decode()
    page = text_of(response)
    assert f"Your booking {booking.reference}" in page
    assert "Confirmed" in page
    assert f'href="{SECRET_LINK}"' in html
    assert "Cameras on, please." in page
    assert "Download the calendar invitation (.ics)" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html


def test_manage_page_is_private(client, booking):
    response = client.get(manage_url_for(booking))

    assert response["Referrer-Policy"] == "same-origin"  # no Referer to any other site
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


@pytest.mark.parametrize("token", ["x" * 32, "short", "a" * 300, "%00%00", "' OR 1=1 --"])
def test_wrong_manage_link_gets_a_plain_not_found_page(client, booking, token):
    response = client.get(f"/booking/{token}/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert booking.email not in response.content.decode()


def test_calendar_download_is_the_current_invite(client, booking):
    response = client.get(reverse("public:manage_calendar", kwargs={"token": manage_token(booking)}))

    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response["Content-Disposition"] == f'attachment; filename="{booking.reference}.ics"'
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == booking.session.starts_at


@pytest.mark.parametrize(
    "status, method, event_status",
    [
        (Booking.Status.CONFIRMED, "REQUEST", "CONFIRMED"),
        (Booking.Status.PENDING, "REQUEST", "TENTATIVE"),
        (Booking.Status.WAITING, "REQUEST", "TENTATIVE"),
        (Booking.Status.OFFERED, "REQUEST", "TENTATIVE"),
        (Booking.Status.UNCONFIRMED_EMAIL, "REQUEST", "TENTATIVE"),
        (Booking.Status.REJECTED, "CANCEL", "CANCELLED"),
        (Booking.Status.OFFER_EXPIRED, "CANCEL", "CANCELLED"),
        (Booking.Status.HOLD_EXPIRED, "CANCEL", "CANCELLED"),
        (Booking.Status.CANCELLED, "CANCEL", "CANCELLED"),
    ],
)
def test_calendar_download_says_how_sure_the_place_is(client, booking, status, method, event_status):
    # A calendar must not show a place waiting for approval as a confirmed meeting, nor keep
    # one that was not approved or ran out.
    Booking.objects.filter(pk=booking.pk).update(status=status)

    response = client.get(reverse("public:manage_calendar", kwargs={"token": manage_token(booking)}))

    assert response["Content-Type"] == f"text/calendar; charset=utf-8; method={method}"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == method
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == event_status


def test_cancelling_asks_for_confirmation_first(client, booking):
    response = client.get(reverse("public:cancel", kwargs={"token": manage_token(booking)}))

    assert "Are you sure you want to cancel your booking?" in text_of(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_frees_the_place_and_hides_the_joining_link(client, booking):
    token = manage_token(booking)

    response = client.post(reverse("public:cancel", kwargs={"token": token}), follow=True)

    page = text_of(response)
    assert "Your booking has been cancelled" in page
    assert SECRET_LINK not in response.content.decode()
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    calendar = client.get(reverse("public:manage_calendar", kwargs={"token": token}))
    assert calendar["Content-Type"].endswith("method=CANCEL")
    assert Calendar.from_ical(calendar.content).walk("VEVENT")[0]["SEQUENCE"] == 1


def test_manage_page_after_the_start_says_whom_to_contact(client, booking):
    Session.objects.update(starts_at=timezone.now() - timedelta(minutes=10))

    page = text_of(client.get(manage_url_for(booking)))

    assert "Cancel my booking" not in page
    assert "This booking can no longer be cancelled online. Contact prevent@coventry.example" in page


def test_manage_page_of_a_cancelled_session_says_so_and_hides_the_link(client, booking):
    Session.objects.update(status=Session.Status.CANCELLED)

    response = client.get(manage_url_for(booking))

    assert "This session has been cancelled by the organiser." in text_of(response)
    assert SECRET_LINK not in response.content.decode()


# --- Site-wide ------------------------------------------------------------------------------


def test_brand_stylesheet_sets_the_organisers_colour(client, organiser):
    organiser.brand_colour = "#5a1e5a"
    organiser.save()

    response = client.get(reverse("public:brand_css", args=[organiser.slug]))

    assert response["Content-Type"] == "text/css"
    assert "--byp-brand-colour:#5a1e5a" in response.content.decode()


def test_every_page_links_the_privacy_notice_and_accessibility_statement(client, programme, session):
    for url in ["/", programme.get_absolute_url(), session.get_absolute_url(), book_url(session), "/privacy/"]:
        html = client.get(url).content.decode()
        assert 'href="/privacy/"' in html and 'href="/accessibility/"' in html, url


def test_pages_send_a_content_security_policy(client, programme):
    response = client.get(programme.get_absolute_url())

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
