"""An attendee can book with several organisations; each confirmation speaks for its own:
its sender name in From (the site's own address, for SPF and DKIM), its reply-to address,
its sign-off at the end."""

from email.utils import parseaddr

import pytest
from django.core import mail

from bookyourplace.bookings import services
from bookyourplace.programmes.models import Organiser, Programme

pytestmark = pytest.mark.django_db

EMAIL = "alex.smith@school.example"


@pytest.fixture
def two_sessions(organiser, make_session):
    organiser.email_sender_name = "Coventry Prevent Team"
    organiser.reply_to_email = "prevent-replies@coventry.example"
    organiser.email_sign_off = "With best wishes,\nthe Coventry Prevent Team"
    organiser.save()
    ours = make_session(title="The COM Network")
    other = Organiser.objects.create(
        name="Warwickshire Safeguarding Partnership",
        slug="warwickshire",
        contact_email="safeguarding@warwickshire.example",
        email_sender_name="Warwickshire Safeguarding",
        reply_to_email="training@warwickshire.example",
        email_sign_off="Kind regards from Warwickshire",
    )
    programme = Programme.objects.create(
        organiser=other, title="Warwickshire Week", slug="warwickshire-week", status=Programme.Status.PUBLISHED
    )
    theirs = make_session(programme=programme, title="County Lines")
    return ours, theirs


def _confirmation_for(title: str):
    (message,) = [m for m in mail.outbox if title in m.subject]
    return message


def test_one_person_books_with_two_organisations_and_each_confirmation_is_from_its_own(
    two_sessions, attendee_details, run_worker, settings
):
    ours, theirs = two_sessions

    services.book_place(session_id=ours.pk, attendee=attendee_details(EMAIL))
    services.book_place(session_id=theirs.pk, attendee=attendee_details(EMAIL))
    run_worker()

    site_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    coventry, warwickshire = _confirmation_for("The COM Network"), _confirmation_for("County Lines")
    assert coventry.to == warwickshire.to == [EMAIL]
    assert parseaddr(coventry.from_email) == ("Coventry Prevent Team", site_address)
    assert parseaddr(warwickshire.from_email) == ("Warwickshire Safeguarding", site_address)
    assert coventry.reply_to == ["prevent-replies@coventry.example"]
    assert warwickshire.reply_to == ["training@warwickshire.example"]
    assert "With best wishes,\nthe Coventry Prevent Team" in coventry.body
    assert "Kind regards from Warwickshire" in warwickshire.body
    assert "Kind regards from Warwickshire" not in coventry.body
    coventry_html = coventry.alternatives[0].content
    assert "With best wishes,<br>the Coventry Prevent Team" in coventry_html
    assert "Warwickshire" not in coventry_html


def test_an_organisation_with_no_email_settings_sends_as_its_name_with_replies_to_its_contact(
    session, attendee_details, run_worker, organiser
):
    services.book_place(session_id=session.pk, attendee=attendee_details(EMAIL))
    run_worker()

    (message,) = mail.outbox
    assert parseaddr(message.from_email)[0] == "Coventry Prevent Partnership"
    assert message.reply_to == ["prevent@coventry.example"]
    assert message.body.count("Coventry Prevent Partnership\nprevent@coventry.example") == 1
