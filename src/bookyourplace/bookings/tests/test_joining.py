"""The joining link goes only to confirmed attendees, by every path (issue 10, point 3).

A matrix: every booking status x session state (scheduled, cancelled) x delivery (online
with a joining link, in person with a joining link left over from when it was online),
against every path that could carry the link: the manage page, the calendar download, every
email the booking could be sent (bodies, and the invites attached, read with icalendar),
message placeholders and the reminders. The link and the instructions are recognisable, so
each path is searched for them; they must appear exactly where allowed and nowhere else.
"""

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookyourplace.bookings import emails as booking_emails
from bookyourplace.bookings import invites, messaging, reminders
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.joining import joining_details_for, may_see_joining_details, may_see_joining_details_q
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email, Message
from bookyourplace.programmes.models import Programme, Session

SECRET_URL = "https://teams.microsoft.com/l/meetup-join/SECRET-19meeting-4f2a7c"
SECRET_INSTRUCTIONS = "SECRET-INSTRUCTIONS passcode 7Hq2"
SECRETS = {"SECRET-19meeting-4f2a7c", "SECRET-INSTRUCTIONS"}

SCHEDULED, CANCELLED = Session.Status.SCHEDULED, Session.Status.CANCELLED
ONLINE, IN_PERSON = Session.Delivery.ONLINE, Session.Delivery.IN_PERSON

# Every status there is, including any added later: only a confirmed place may see the link.
CELLS = [
    pytest.param(status, session_state, delivery, id=f"{status}-{session_state}-{delivery}")
    for status in Booking.Status
    for session_state in (SCHEDULED, CANCELLED)
    for delivery in (ONLINE, IN_PERSON)
]

# The statuses that run to a deadline, and its field: still open in these tests.
DEADLINES = {Booking.Status.OFFERED: "offer_expires_at", "unconfirmed_email": "hold_expires_at"}

# The emails whose words carry the joining details, when the booking may see them.
CARRIERS = {
    EmailKind.CONFIRMATION,
    EmailKind.APPROVED,
    EmailKind.SESSION_CHANGED,
    EmailKind.REMINDER,
    EmailKind.MESSAGE,
}


def allowed(status, session_state, delivery) -> bool:
    """The rule, written out independently of the code under test."""
    return status == Booking.Status.CONFIRMED and session_state == SCHEDULED and delivery == ONLINE


def secrets_in(text: str) -> set[str]:
    return {secret for secret in SECRETS if secret in text}


def expected_secrets(shown: bool) -> set[str]:
    return set(SECRETS) if shown else set()


def calendar_text(ics: bytes) -> str:
    """Every value of every property of every component, as icalendar reads the file."""
    values = []
    for component in Calendar.from_ical(ics).walk():
        for name, value in component.property_items(recursive=False):
            raw = value.to_ical() if hasattr(value, "to_ical") else value
            values.append(f"{name}:{raw.decode() if isinstance(raw, bytes) else raw}")
            values.append(str(value))
    return "\n".join(values)


def everything_in(sent) -> str:
    """Subject, headers and every MIME part of a sent email, decoded, the calendars read
    with icalendar."""
    parsed = message_from_bytes(sent.message().as_bytes())
    texts = [str(value) for value in parsed.values()]
    for part in parsed.walk():
        if part.is_multipart() or part.get_content_maintype() == "image":
            continue  # an image (the check-in QR code) holds no text; it encodes the check-in URL only
        payload = part.get_payload(decode=True) or b""
        texts.append(payload.decode(part.get_content_charset() or "utf-8"))
        if part.get_content_type() in ("text/calendar", "application/ics"):
            texts.append(calendar_text(payload))
    return "\n".join(texts)


@pytest.fixture
def booking_in(make_session, attendee_details):
    """A booking in this status, on a session in this state and of this delivery, starting
    in half an hour (so even the "starting soon" reminder is due), with no email queued yet."""

    def make(status, session_state, delivery, line_manager_email="manager@coventry.gov.uk"):
        session = make_session(
            starts_at=(timezone.now() + timedelta(minutes=30)).replace(microsecond=0),
            delivery=delivery,
            venue="Friargate" if delivery == IN_PERSON else "",
            room="Room 1.4" if delivery == IN_PERSON else "",
            # An in-person session keeps the link from when it was online: it must not show.
            joining_url=SECRET_URL,
            joining_instructions=SECRET_INSTRUCTIONS,
        )
        booking = bookings.book_place(session_id=session.pk, attendee=attendee_details())
        now = timezone.now()
        deadline = {DEADLINES[status]: now + timedelta(hours=12)} if status in DEADLINES else {}
        Booking.objects.filter(pk=booking.pk).update(
            status=status,
            # Confirmed long ago, so every reminder is due.
            confirmed_at=now - timedelta(days=10),
            line_manager_email=line_manager_email,
            **deadline,
        )
        Session.objects.filter(pk=session.pk).update(status=session_state)
        Email.objects.filter(booking=booking).delete()  # what booking queued, for a status it no longer has
        return Booking.objects.select_related("session__programme__organiser").get(pk=booking.pk)

    return make


def queue_every_email(booking: Booking) -> None:
    """Every email the booking could be sent, each as its service queues it, with the
    invites they carry; then every one of them asking for the joining details, to show that
    asking is not enough."""
    booking_emails.queue_booking_confirmation(booking=booking)  # and the line manager's copy
    booking_emails.queue_booking_approved(booking=booking)
    booking_emails.queue_email_confirmation(booking=booking)
    booking_emails.queue_booking_pending(booking=booking)
    booking_emails.queue_booking_rejected(booking=booking, note="Not this time.")
    booking_emails.queue_waiting_list_joined(booking=booking)
    booking_emails.queue_place_offered(booking=booking)
    booking_emails.queue_offer_expired(booking=booking)
    booking_emails.queue_manage_link(booking=booking)
    booking_emails.queue_email_confirmation(booking=booking)
    booking_emails.queue_booking_cancellation(booking=booking)
    booking_emails.queue_cancelled_by_organiser(booking=booking, note="Booked twice.")
    booking_emails.queue_session_changed(booking=booking)
    booking_emails.queue_session_cancelled(booking=booking, note="Trainer unwell.")
    reminders.queue_reminders(
        bookings=[booking],
        reminder=reminders.Reminder(key="test", before=timedelta(days=1)),
        include_joining_details=True,
    )
    message = Message.objects.create(
        programme=booking.session.programme,
        session=booking.session,
        subject="About {session_title}",
        body="Dear {first_name},\n{joining_details}\nManage: {manage_link}",
        idempotency_key=f"joining-matrix-{booking.pk}",
    )
    Email.objects.create(about=booking, kind=EmailKind.MESSAGE, to=booking.email, message=message)
    Email.objects.filter(booking=booking).update(include_joining_details=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_the_rule_allows_only_a_confirmed_place_on_an_online_session_that_goes_ahead(
    booking_in, status, session_state, delivery
):
    booking = booking_in(status, session_state, delivery)
    shown = allowed(status, session_state, delivery)

    assert may_see_joining_details(booking) is shown
    assert (joining_details_for(booking) is not None) is shown
    # The query form of the rule (for reminders and lists) agrees with the function.
    assert Booking.objects.filter(may_see_joining_details_q(), pk=booking.pk).exists() is shown


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_manage_page_shows_the_joining_details_only_when_allowed(client, booking_in, status, session_state, delivery):
    booking = booking_in(status, session_state, delivery)

    response = client.get(reverse("public:manage", kwargs={"token": manage_token(booking)}))

    assert response.status_code == 200
    page = response.content.decode()
    assert secrets_in(page) == expected_secrets(allowed(status, session_state, delivery))
    assert ("Joining details" in page) is allowed(status, session_state, delivery)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_calendar_download_carries_the_joining_link_only_when_allowed(
    client, booking_in, status, session_state, delivery
):
    booking = booking_in(status, session_state, delivery)

    response = client.get(reverse("public:manage_calendar", kwargs={"token": manage_token(booking)}))

    # Always a valid calendar (a booking waiting for approval can still add the date)...
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == invites.invite_uid(booking)
    # ...with the joining link in it only for those allowed, in no property at all otherwise.
    found = secrets_in(calendar_text(response.content)) | secrets_in(response.content.decode().replace("\r\n ", ""))
    assert found == expected_secrets(allowed(status, session_state, delivery))


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_every_email_and_invite_carries_the_joining_details_only_when_allowed(
    booking_in, run_worker, status, session_state, delivery
):
    booking = booking_in(status, session_state, delivery)
    shown = allowed(status, session_state, delivery)
    queue_every_email(booking)

    run_worker()

    emails = {email.message_id_local_part: email for email in Email.objects.filter(booking=booking)}
    sent_kinds = set()
    for sent in mail.outbox:
        (email,) = [e for local, e in emails.items() if f"<{local}@" in sent.extra_headers["Message-ID"]]
        sent_kinds.add(email.kind)
        carries = shown and email.kind in CARRIERS and email.to == booking.email
        assert secrets_in(everything_in(sent)) == expected_secrets(carries), f"{email.kind} to {email.to}"
        for name, content, _mimetype in sent.attachments:
            if name.endswith(".ics"):
                invite_carries = shown and email.invite_method == invites.REQUEST
                assert secrets_in(calendar_text(content)) == expected_secrets(invite_carries), f"invite of {email.kind}"
    # Nothing was quietly left unsent: every kind went (reminders and messages only to a
    # place still confirmed, as the booking side decides at sending).
    assert Email.objects.filter(booking=booking, status=Email.Status.FAILED).count() == 0
    expected_kinds = (
        set(EmailKind)
        if status == Booking.Status.CONFIRMED
        else set(EmailKind) - set(booking_emails.ONLY_WHILE_CONFIRMED)
    )
    assert sent_kinds >= expected_kinds


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_message_placeholders_carry_the_joining_details_only_when_allowed(booking_in, status, session_state, delivery):
    booking = booking_in(status, session_state, delivery)
    draft = messaging.MessageDraft(subject="About {session_title}", body="{joining_details}")

    _subject, sent_text = messaging.render_for(draft, booking)
    _subject, preview_text = messaging.preview_message(message_draft=draft, booking=booking)
    every_value = "\n".join(messaging.placeholder_values(booking).values())

    shown = expected_secrets(allowed(status, session_state, delivery))
    assert secrets_in(sent_text) == shown
    assert secrets_in(preview_text) == shown
    assert secrets_in(every_value) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "session_state", "delivery"), CELLS)
def test_reminders_carry_the_joining_link_only_when_allowed(booking_in, run_worker, status, session_state, delivery):
    booking = booking_in(status, session_state, delivery, line_manager_email="")
    shown = allowed(status, session_state, delivery)

    reminders.send_due_reminders()
    run_worker()

    # The "starting soon" reminder, which exists to carry the link, goes only to those allowed.
    assert Email.objects.filter(booking=booking, dedupe_key__endswith=":60m").exists() is shown
    for sent in mail.outbox:
        assert secrets_in(everything_in(sent)) == expected_secrets(shown), sent.subject
    if shown:
        assert any("starts in 30 minutes" in m.body or "Here is your joining link" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_an_archived_programme_hands_out_its_joining_link_nowhere(client, booking_in, run_worker):
    booking = booking_in(Booking.Status.CONFIRMED, SCHEDULED, ONLINE, line_manager_email="")
    Programme.objects.filter(pk=booking.session.programme_id).update(status=Programme.Status.ARCHIVED)
    booking = Booking.objects.select_related("session__programme__organiser").get(pk=booking.pk)
    token = manage_token(booking)

    manage_page = client.get(reverse("public:manage", kwargs={"token": token})).content.decode()
    calendar = client.get(reverse("public:manage_calendar", kwargs={"token": token})).content
    placeholder = messaging.joining_details(booking)
    reminders.send_due_reminders()
    booking_emails.queue_booking_confirmation(booking=booking)
    run_worker()

    assert secrets_in(manage_page) == set()
    assert secrets_in(calendar_text(calendar)) == set()
    assert placeholder == ""
    assert not Email.objects.filter(booking=booking, dedupe_key__endswith=":60m").exists()
    assert mail.outbox and all(secrets_in(everything_in(sent)) == set() for sent in mail.outbox)


@pytest.mark.django_db
def test_a_programme_taken_back_to_draft_keeps_its_confirmed_attendees_link(client, booking_in):
    # Unpublishing is for editing the public pages; the people already confirmed keep their way in.
    booking = booking_in(Booking.Status.CONFIRMED, SCHEDULED, ONLINE)
    Programme.objects.filter(pk=booking.session.programme_id).update(status=Programme.Status.DRAFT)

    page = client.get(reverse("public:manage", kwargs={"token": manage_token(booking)})).content.decode()

    assert secrets_in(page) == SECRETS
