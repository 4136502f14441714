"""The email to the people who booked and did not come: only after the session, only to
no-shows, once ever per booking, written by the worker as things are when it is sent."""

import pytest
from django.core import mail

from bookyourplace.attendance import emails, services
from bookyourplace.attendance.models import Method, Outcome
from bookyourplace.bookings.testing import book_people, end_session
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

ORGANISER = Actor(label="Hana Ali")


@pytest.fixture
def ended(session, run_worker):
    """Alex came, Bea came for part of it, Cai was marked a no-show, Dee was never marked."""
    alex, bea, cai, dee = book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans"), ("Dee", "Khan")])
    services.check_in(booking=alex, session=session, actor=ORGANISER)
    services.mark(
        booking=bea, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, actor=ORGANISER, minutes_present=30
    )
    services.mark(booking=cai, outcome=Outcome.NO_SHOW, method=Method.BY_HAND, actor=ORGANISER)
    run_worker()
    mail.outbox.clear()
    end_session(session)
    return {"alex": alex, "bea": bea, "cai": cai, "dee": dee}


def test_the_no_shows_are_emailed_sorry_we_missed_you_with_the_programme_link(session, ended, run_worker):
    queued = emails.queue_no_show_emails(session=session, actor=ORGANISER)
    run_worker()

    assert queued == 2
    assert sorted(m.to[0] for m in mail.outbox) == [ended["cai"].email, ended["dee"].email]
    message = next(m for m in mail.outbox if m.to == [ended["dee"].email])
    assert message.subject == f"Sorry we missed you: {session.title}"
    assert "Dear Dee," in message.body
    assert "http://testserver/programmes/coventry-prevent-week/" in message.body
    html = message.alternatives[0].content
    assert 'href="http://testserver/programmes/coventry-prevent-week/"' in html
    assert "Book another session of Coventry Prevent Week" in html


def test_pressing_the_button_twice_sends_each_email_once(session, ended, run_worker):
    emails.queue_no_show_emails(session=session, actor=ORGANISER)
    run_worker()

    again = emails.queue_no_show_emails(session=session, actor=ORGANISER)
    run_worker()

    assert again == 0
    assert len(mail.outbox) == 2
    assert Email.objects.filter(kind=emails.NO_SHOW).count() == 2


def test_someone_marked_as_attended_before_the_email_goes_is_not_told_they_were_missed(session, ended, run_worker):
    emails.queue_no_show_emails(session=session, actor=ORGANISER)

    services.mark(booking=ended["dee"], outcome=Outcome.ATTENDED, method=Method.BY_HAND, actor=ORGANISER)
    run_worker()

    assert [m.to for m in mail.outbox] == [[ended["cai"].email]]
    assert Email.objects.get(to=ended["dee"].email, kind=emails.NO_SHOW).status == Email.Status.SKIPPED


def test_no_show_emails_wait_for_the_end_of_the_session(session, run_worker):
    book_people(session, [("Dee", "Khan")])

    with pytest.raises(emails.SessionNotEnded):
        emails.queue_no_show_emails(session=session, actor=ORGANISER)

    assert not Email.objects.filter(kind=emails.NO_SHOW).exists()


def test_emailing_the_no_shows_is_in_the_audit_log(session, ended):
    emails.queue_no_show_emails(session=session, actor=ORGANISER)

    event = AuditEvent.objects.get(action="attendance.no_show_emails")
    assert (event.actor_label, event.summary) == ("Hana Ali", f"Emailed 2 no-show(s) of '{session.title}'")
