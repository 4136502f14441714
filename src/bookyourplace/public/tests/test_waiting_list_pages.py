"""What attendees see of the waiting list, approvals, the cancellation cut-off and booking
that has not opened yet."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import ApprovalMode

SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


def book_url(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def manage_url_for(booking):
    return reverse("public:manage", kwargs={"token": manage_token(booking)})


def cancel_url_for(booking):
    return reverse("public:cancel", kwargs={"token": manage_token(booking)})


def accept_url_for(booking):
    return reverse("public:accept_offer", kwargs={"token": manage_token(booking)})


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


# --- A full session -------------------------------------------------------------------------


def test_programme_and_session_pages_of_a_full_session_offer_the_waiting_list(client, programme, make_session):
    # Arrange
    session = make_session(capacity=1, title="Full session")
    book(session, "first@coventry.gov.uk")

    # Act
    programme_page = text_of(client.get(programme.get_absolute_url()))
    session_page = text_of(client.get(session.get_absolute_url()))

    # Assert
    assert "Fully booked Join the waiting list : Full session" in programme_page  # ": title" is for screen readers
    assert "Book your place" not in programme_page
    assert "Fully booked" in session_page
    assert "Join the waiting list" in session_page
    assert "Book your place" not in session_page


def test_booking_form_of_a_full_session_is_the_waiting_list_form(client, make_session):
    # Arrange
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk")

    # Act
    response = client.get(book_url(session))

    # Assert
    page = text_of(response)
    assert f"Join the waiting list: {session.title}" in page
    assert "This session is fully booked. Join the waiting list" in page
    assert '<input type="hidden" name="waiting_list" value="yes">' in response.content.decode()
    assert "Book my place" not in page


def test_joining_the_waiting_list_from_the_form_emails_the_position(client, make_session, run_worker):
    # Arrange
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk")

    # Act
    response = client.post(book_url(session), booking_form_data(waiting_list="yes"), follow=True)

    # Assert: the page says only "check your email" (issue 10, point 7); the email and the
    # manage page say where they are.
    page = text_of(response)
    booking = Booking.objects.get(email="sam.patel@nhs.net")
    assert booking.status == Booking.Status.WAITING
    assert response.redirect_chain[-1][0].endswith("/book/confirmed/")
    assert "Check your email We are sending an email to sam.patel@nhs.net" in page
    assert booking.reference not in page and "1st" not in page
    assert SECRET_LINK not in response.content.decode()
    assert list(Email.objects.filter(to="sam.patel@nhs.net").values_list("kind", flat=True)) == ["waiting_list_joined"]
    run_worker()
    [joined] = [m for m in mail.outbox if m.to == ["sam.patel@nhs.net"]]
    assert "You are 1st in the queue." in joined.body
    assert booking.reference in joined.body
    assert "You are 1st on the waiting list" in text_of(client.get(manage_url_for(booking)))


def test_the_second_person_to_join_is_second(client, make_session):
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk")
    book(session, "wait1@coventry.gov.uk", waiting=True)

    client.post(book_url(session), booking_form_data(waiting_list="yes"))

    booking = Booking.objects.get(email="sam.patel@nhs.net")
    assert "You are 2nd on the waiting list" in text_of(client.get(manage_url_for(booking)))


def test_a_form_that_did_not_say_waiting_list_does_not_join_it(client, make_session):
    # Arrange: the form was opened while places were free; the session filled meanwhile
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk")

    # Act
    response = client.post(book_url(session), booking_form_data())

    # Assert
    assert response.status_code == 409
    assert "Sorry, this session is fully booked." in text_of(response)
    assert "Join the waiting list" in text_of(response)
    assert not Booking.objects.filter(email="sam.patel@nhs.net").exists()


# --- An offer -------------------------------------------------------------------------------


def test_an_offered_person_can_accept_the_place_from_the_manage_page(client, make_session):
    # Arrange
    session = make_session(capacity=1)
    confirmed = book(session, "first@coventry.gov.uk")
    waiting = book(session, "wait1@coventry.gov.uk", waiting=True)
    services.cancel_booking(booking_id=confirmed.pk)

    # Act
    offer_page = text_of(client.get(manage_url_for(waiting)))
    response = client.post(accept_url_for(waiting), follow=True)

    # Assert
    assert "A place is free for you" in offer_page
    assert "Accept the place" in offer_page
    assert SECRET_LINK not in offer_page
    assert status_of(waiting) == Booking.Status.CONFIRMED
    page = text_of(response)
    assert "Your place is confirmed. We have emailed you the details and a calendar invitation." in page
    assert "Accept the place" not in page
    assert f'href="{SECRET_LINK}"' in response.content.decode()


def test_an_offer_that_ran_out_has_no_accept_button(client, make_session):
    # Arrange: the offer was made two days ago and held for 24 hours
    session = make_session(capacity=1)
    two_days_ago = timezone.now() - timedelta(days=2)
    confirmed = book(session, "first@coventry.gov.uk")
    waiting = book(session, "wait1@coventry.gov.uk", waiting=True)
    services.cancel_booking(booking_id=confirmed.pk, now=two_days_ago)

    # Act
    page = text_of(client.get(manage_url_for(waiting)))
    response = client.post(accept_url_for(waiting), follow=True)

    # Assert
    assert "Accept the place" not in page
    assert "This offer has run out" in page
    assert "This offer has run out or has already been answered." in text_of(response)
    assert status_of(waiting) == Booking.Status.OFFERED


def test_leaving_the_waiting_list_from_the_manage_page(client, make_session):
    # Arrange
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk")
    waiting = book(session, "wait1@coventry.gov.uk", waiting=True)

    # Act
    page = text_of(client.get(manage_url_for(waiting)))
    response = client.post(cancel_url_for(waiting), follow=True)

    # Assert
    assert "Leave the waiting list" in page
    assert "You are 1st on the waiting list" in page
    assert "You have left the waiting list." in text_of(response)
    assert status_of(waiting) == Booking.Status.CANCELLED


# --- Approval -------------------------------------------------------------------------------


def test_a_booking_waiting_for_approval_says_so_on_the_manage_page_only(client, programme, make_session):
    # Arrange: trusted domains, so the address is confirmed first (issue 10, point 5)
    programme.approval_mode = ApprovalMode.TRUSTED_DOMAINS
    programme.trusted_domains = "coventry.gov.uk"
    programme.save()
    session = make_session()

    # Act
    response = client.post(book_url(session), booking_form_data(email="sam@gmail.com"), follow=True)
    booking = Booking.objects.get(email="sam@gmail.com")
    client.post(reverse("public:confirm_email", kwargs={"token": manage_token(booking)}))

    # Assert
    page = text_of(response)
    assert "Check your email" in page and "Booking confirmed" not in page
    assert SECRET_LINK not in response.content.decode()
    assert status_of(booking) == Booking.Status.PENDING
    manage_page = client.get(manage_url_for(booking)).content.decode()
    assert "Waiting for approval" in manage_page
    assert SECRET_LINK not in manage_page


# --- Cancellation cut-off ------------------------------------------------------------------


def test_after_the_cancellation_cut_off_the_manage_page_names_whom_to_contact(client, programme, make_session):
    # Arrange: attendees may cancel online until 48 hours before; the session is 24 hours away
    programme.cancellation_cutoff_hours = 48
    programme.save()
    session = make_session(starts_at=timezone.now() + timedelta(hours=24))
    booking = book(session, "first@coventry.gov.uk")

    # Act
    page = text_of(client.get(manage_url_for(booking)))
    response = client.post(cancel_url_for(booking), follow=True)

    # Assert
    assert "Cancel my booking" not in page
    contact = "This booking can no longer be cancelled online. Contact prevent@coventry.example if you cannot attend."
    assert contact in page
    assert status_of(booking) == Booking.Status.CONFIRMED
    assert "This booking can no longer be cancelled online." in text_of(response)
    assert not Email.objects.filter(kind="cancellation").exists()


def test_before_the_cancellation_cut_off_the_manage_page_says_until_when(client, programme, make_session):
    # Arrange
    programme.cancellation_cutoff_hours = 48
    programme.save()
    starts = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    session = make_session(starts_at=starts)
    booking = book(session, "first@coventry.gov.uk")

    # Act
    page = text_of(client.get(manage_url_for(booking)))

    # Assert
    until = format_date(timezone.localtime(starts - timedelta(hours=48)), "l j F Y, H:i")
    assert "Cancel my booking" in page
    assert f"You can cancel online until {until}." in page


def test_the_cancel_page_after_the_cut_off_goes_back_to_the_manage_page(client, programme, make_session):
    programme.cancellation_cutoff_hours = 48
    programme.save()
    session = make_session(starts_at=timezone.now() + timedelta(hours=24))
    booking = book(session, "first@coventry.gov.uk")

    response = client.get(cancel_url_for(booking))

    assert response.status_code == 302
    assert response["Location"] == manage_url_for(booking)


# --- Booking not open yet -------------------------------------------------------------------


def test_booking_not_open_yet_says_when_it_opens_and_refuses_posts(client, programme, make_session):
    # Arrange
    opens = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    session = make_session(booking_opens_at=opens, title="Opens later")

    # Act
    programme_page = text_of(client.get(programme.get_absolute_url()))
    session_page = text_of(client.get(session.get_absolute_url()))
    form_page = client.get(book_url(session))
    post = client.post(book_url(session), booking_form_data())
    post_to_waiting_list = client.post(book_url(session), booking_form_data(waiting_list="yes"))

    # Assert
    when = format_date(timezone.localtime(opens), "l j F Y, H:i")
    assert f"Booking opens on {when}." in programme_page
    assert f"Booking opens on {when}." in session_page
    assert "Book your place" not in session_page
    assert "Booking not open yet" in text_of(form_page)
    assert "Book my place" not in text_of(form_page)
    assert post.status_code == 409
    assert post_to_waiting_list.status_code == 409
    assert "Booking not open yet" in text_of(post)
    assert Booking.objects.count() == 0
