"""Who is confirmed at once and who waits for an organiser; approving and rejecting.

The joining link is private: it reaches an attendee only once their place is confirmed, so
these tests create it (the session fixture has one) and look for it where it must not be.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import approvals, email_confirmation, services, session_changes
from bookyourplace.bookings.availability import waiting_position
from bookyourplace.bookings.eligibility import domain_is_trusted
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode

ORGANISER = Actor(label="Priya (Prevent coordinator)")
TRUSTED = "coventry.gov.uk\nnhs.net\n*.sch.uk\npolice.uk"
SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


def book_and_confirm_email(session, email):
    """Book, and (the session holding the place until then) confirm the email address from
    the emailed link, as the person would: trusted domains decide only after that."""
    booking = book(session, email)
    if session.confirms_email_first:
        assert booking.status == Booking.Status.UNCONFIRMED_EMAIL
        booking = email_confirmation.confirm_email(booking_id=booking.pk)
    return booking


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def kinds_to(address: str) -> list[str]:
    return list(Email.objects.filter(to=address).order_by("pk").values_list("kind", flat=True))


def unfold(ics: str) -> str:
    """A calendar file folds long lines at 75 octets; join them back to search them."""
    return ics.replace("\r\n ", "").replace("\r\n\t", "")


def everything_in(message) -> str:
    """Every part of a sent email a person could read: body, HTML, attachments."""
    parts = [message.subject, message.body]
    parts += [content for content, _mimetype in message.alternatives]
    for attachment in message.attachments:
        content = attachment[1]
        text = content.decode() if isinstance(content, bytes) else str(content)
        parts.append(unfold(text))
    return "\n".join(parts)


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def manage_page(client, booking) -> str:
    return client.get(reverse("public:manage", kwargs={"token": manage_token(booking)})).content.decode()


@pytest.fixture
def trusted_programme(programme):
    programme.approval_mode = ApprovalMode.TRUSTED_DOMAINS
    programme.trusted_domains = TRUSTED
    programme.save()
    return programme


@pytest.fixture
def approval_for_all(programme):
    programme.approval_mode = ApprovalMode.APPROVAL
    programme.save()
    return programme


# --- Trusted domains --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("x@coventry.gov.uk", Booking.Status.CONFIRMED),
        ("x@gmail.com", Booking.Status.PENDING),
        ("x@st-marys.coventry.sch.uk", Booking.Status.CONFIRMED),
        ("x@sch.uk", Booking.Status.PENDING),
        ("x@west-midlands.police.uk", Booking.Status.CONFIRMED),
        ("x@nhs.net", Booking.Status.CONFIRMED),
        ("x@notcoventry.gov.uk", Booking.Status.PENDING),
        ("x@coventry.gov.uk.evil.example", Booking.Status.PENDING),
        ("X@Coventry.GOV.UK", Booking.Status.CONFIRMED),
    ],
)
def test_trusted_domains_decide_who_is_confirmed_at_once(trusted_programme, make_session, email, status):
    session = make_session()

    booking = book_and_confirm_email(session, email)

    assert booking.status == status


def test_trusted_domain_patterns_match_as_organisers_write_them():
    patterns = ["coventry.gov.uk", "nhs.net", "*.sch.uk", "police.uk"]

    assert domain_is_trusted("x@coventry.gov.uk", patterns) is True
    assert domain_is_trusted("x@gmail.com", patterns) is False
    assert domain_is_trusted("x@st-marys.coventry.sch.uk", patterns) is True
    assert domain_is_trusted("x@sch.uk", patterns) is False
    assert domain_is_trusted("x@west-midlands.police.uk", patterns) is True
    assert domain_is_trusted("x@fakepolice.uk", patterns) is False


def test_session_approval_override_wins_over_the_programme(trusted_programme, make_session):
    # Arrange: the programme trusts coventry.gov.uk; this session asks approval for all
    strict = make_session(approval_mode=ApprovalMode.APPROVAL)
    # and this one trusts only gmail.com
    own_list = make_session(approval_mode=ApprovalMode.TRUSTED_DOMAINS, trusted_domains="gmail.com")
    # and this one is open to all
    open_session = make_session(approval_mode=ApprovalMode.OPEN)

    # Act / Assert
    assert book_and_confirm_email(strict, "x@coventry.gov.uk").status == Booking.Status.PENDING
    assert book_and_confirm_email(own_list, "x@gmail.com").status == Booking.Status.CONFIRMED
    assert book_and_confirm_email(own_list, "x@coventry.gov.uk").status == Booking.Status.PENDING
    assert book_and_confirm_email(open_session, "x@gmail.com").status == Booking.Status.CONFIRMED


def test_approval_for_all_puts_everyone_pending(approval_for_all, make_session):
    session = make_session()

    bookings = [book(session, email) for email in ("x@coventry.gov.uk", "y@nhs.net", "z@gmail.com")]

    assert [b.status for b in bookings] == [Booking.Status.PENDING] * 3
    assert kinds_to("x@coventry.gov.uk") == ["pending"]


def test_a_pending_booking_holds_a_place(approval_for_all, make_session):
    # Arrange
    session = make_session(capacity=1)
    pending = book(session, "x@coventry.gov.uk")

    # Act
    with pytest.raises(services.SessionFull):
        book(session, "y@coventry.gov.uk")
    waiting = book(session, "y@coventry.gov.uk", waiting=True)

    # Assert
    assert pending.status == Booking.Status.PENDING
    assert waiting.status == Booking.Status.WAITING
    assert waiting_position(waiting) == 1


# --- Approving and rejecting ----------------------------------------------------------------


def test_approving_confirms_and_sends_the_invite_with_the_joining_link(approval_for_all, session, run_worker):
    # Arrange
    pending = book(session, "x@coventry.gov.uk")
    now = timezone.now()

    # Act
    approved = approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER, now=now)

    # Assert
    assert approved.status == Booking.Status.CONFIRMED
    assert status_of(pending) == Booking.Status.CONFIRMED
    assert pending.decided_at == now
    assert kinds_to("x@coventry.gov.uk") == ["pending", "approved"]
    run_worker()
    approved_emails = [m for m in sent_to("x@coventry.gov.uk") if m.subject == f"Booking approved: {session.title}"]
    assert len(approved_emails) == 1
    assert [attachment[0] for attachment in approved_emails[0].attachments] == ["invite.ics"]
    assert SECRET_LINK in approved_emails[0].body
    assert SECRET_LINK in unfold(approved_emails[0].attachments[0][1].decode())


def test_approving_twice_is_refused(approval_for_all, session):
    pending = book(session, "x@coventry.gov.uk")
    approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER)

    with pytest.raises(approvals.NotAwaitingApproval):
        approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER)

    assert kinds_to("x@coventry.gov.uk") == ["pending", "approved"]


def test_rejecting_with_a_reason_tells_the_person_and_offers_the_place(approval_for_all, make_session, run_worker):
    # Arrange
    session = make_session(capacity=1)
    pending = book(session, "x@gmail.com")
    waiting = book(session, "y@coventry.gov.uk", waiting=True)

    # Act
    rejected = approvals.reject_booking(
        booking_id=pending.pk, reason="  This session is for Coventry staff only. ", actor=ORGANISER
    )

    # Assert
    assert rejected.status == Booking.Status.REJECTED
    assert rejected.decision_reason == "This session is for Coventry staff only."
    assert status_of(waiting) == Booking.Status.OFFERED
    assert kinds_to("x@gmail.com") == ["pending", "rejected"]
    run_worker()
    (rejection,) = [m for m in sent_to("x@gmail.com") if m.subject == f"Booking not approved: {session.title}"]
    assert "Reason: This session is for Coventry staff only." in rejection.body
    assert SECRET_LINK not in everything_in(rejection)


def test_approving_after_the_session_was_cancelled_is_refused(approval_for_all, session):
    # Arrange
    pending = book(session, "x@coventry.gov.uk")
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER, reason="Trainer unwell")

    # Act / Assert
    with pytest.raises(services.SessionCancelled):
        approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER)
    assert status_of(pending) == Booking.Status.PENDING
    assert "approved" not in kinds_to("x@coventry.gov.uk")


# --- The joining link waits for approval -------------------------------------------------------


def test_the_joining_link_is_never_shown_or_sent_before_approval(approval_for_all, session, client, run_worker):
    # Arrange
    pending = book(session, "x@coventry.gov.uk")

    # Act: everything a pending attendee sees
    run_worker()
    pending_page = manage_page(client, pending)
    pending_emails = sent_to("x@coventry.gov.uk")

    # Assert
    assert "Waiting for approval" in pending_page
    assert SECRET_LINK not in pending_page
    assert "Cameras on, please." not in pending_page
    assert [m.subject for m in pending_emails] == [f"Booking received, waiting for approval: {session.title}"]
    assert SECRET_LINK not in everything_in(pending_emails[0])
    assert pending_emails[0].attachments == []

    # Act: the organiser approves
    mail.outbox.clear()
    approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER)
    run_worker()

    # Assert: now the page and the email carry the link
    assert f'href="{SECRET_LINK}"' in manage_page(client, pending)
    (approved_email,) = sent_to("x@coventry.gov.uk")
    assert SECRET_LINK in approved_email.body


def test_a_pending_email_sent_after_approval_still_has_no_joining_link(approval_for_all, session, run_worker):
    # Arrange: the organiser approves before the worker gets to the "pending" email
    pending = book(session, "x@coventry.gov.uk")
    approvals.approve_booking(booking_id=pending.pk, actor=ORGANISER)

    # Act
    run_worker()

    # Assert
    emails = {m.subject: m for m in sent_to("x@coventry.gov.uk")}
    assert SECRET_LINK not in everything_in(emails[f"Booking received, waiting for approval: {session.title}"])
    assert SECRET_LINK in emails[f"Booking approved: {session.title}"].body


# --- The line manager's copy ------------------------------------------------------------------


def test_line_manager_gets_a_separate_copy_without_the_private_links(session, run_worker):
    # Arrange
    booking = book(session, "x@coventry.gov.uk", line_manager_email="Boss@Coventry.gov.uk")

    # Act
    run_worker()

    # Assert
    assert kinds_to("boss@coventry.gov.uk") == ["manager_copy"]
    (copy,) = sent_to("boss@coventry.gov.uk")
    (confirmation,) = sent_to("x@coventry.gov.uk")
    assert copy.subject == f"Alex Smith has booked: {session.title}"
    assert copy.to == ["boss@coventry.gov.uk"] and copy.cc == [] and copy.bcc == []
    content = everything_in(copy)
    assert booking.reference in content
    assert manage_token(booking) not in content
    assert "/booking/" not in content
    assert SECRET_LINK not in content
    assert copy.attachments == []
    # The attendee's own confirmation has both links and does not copy the manager.
    assert manage_token(booking) in confirmation.body and SECRET_LINK in confirmation.body
    assert confirmation.to == ["x@coventry.gov.uk"] and confirmation.cc == [] and confirmation.bcc == []


def test_line_manager_of_a_pending_booking_hears_only_once_it_is_approved(approval_for_all, session, run_worker):
    # Arrange
    booking = book(session, "x@coventry.gov.uk", line_manager_email="boss@coventry.gov.uk")
    pending_kinds = kinds_to("boss@coventry.gov.uk")

    # Act
    approvals.approve_booking(booking_id=booking.pk, actor=ORGANISER)
    run_worker()

    # Assert
    assert pending_kinds == []
    assert kinds_to("boss@coventry.gov.uk") == ["manager_copy"]
    (copy,) = sent_to("boss@coventry.gov.uk")
    content = everything_in(copy)
    assert manage_token(booking) not in content
    assert SECRET_LINK not in content
