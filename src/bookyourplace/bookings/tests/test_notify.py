"""Booking emails and text reminders by GOV.UK Notify, against the fake Notify API on
loopback (notifications/testing.py: it checks each request's JWT and JSON)."""

from datetime import timedelta

import pytest
from django.core import mail

from bookyourplace.bookings.emails import TEXT_REMINDER, EmailKind
from bookyourplace.bookings.links import calendar_url
from bookyourplace.bookings.mobile_numbers import normalise_uk_mobile
from bookyourplace.bookings.personal_data import find
from bookyourplace.bookings.reminders import send_due_reminders
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book
from bookyourplace.notifications.delivery import deliver_due
from bookyourplace.notifications.models import Email, NotifySettings
from bookyourplace.notifications.testing import notify_settings
from bookyourplace.privacy.erasure import erase_person
from bookyourplace.privacy.services import SYSTEM

pytestmark = pytest.mark.django_db
MOBILE = "+447700900982"


def test_a_confirmation_goes_by_notify_with_its_own_template_and_a_calendar_link(session, fake_notify):
    confirmation_template = fake_notify.new_template()
    notify_settings(session.programme.organiser, fake_notify, template_ids={"confirmation": confirmation_template})
    booking = book(session, "alex.smith@coventry.gov.uk")

    assert deliver_due()["sent"] == 1

    assert mail.outbox == []
    (request,) = fake_notify.accepted("email")
    assert request.template_id == confirmation_template
    assert request.body["email_address"] == "alex.smith@coventry.gov.uk"
    assert request.personalisation["subject"] == f"Booking confirmed: {session.title}"
    assert booking.reference in request.personalisation["body"]
    # Notify cannot attach an .ics file: the link to the booking's calendar file instead.
    assert request.personalisation["calendar_link"] == calendar_url(booking)
    assert request.personalisation["calendar_link"].endswith("/calendar.ics")


def test_a_kind_without_a_template_of_its_own_uses_the_default(session, fake_notify):
    settings = notify_settings(session.programme.organiser, fake_notify)
    booking = book(session, "alex.smith@coventry.gov.uk")
    deliver_due()
    cancel_booking(booking_id=booking.pk, actor=SYSTEM)
    deliver_due()

    assert [r.template_id for r in fake_notify.accepted("email")] == [settings.default_template_id] * 2
    assert fake_notify.accepted("email")[1].personalisation["subject"].startswith("Booking cancelled")
    # An email without an invite has no calendar link.
    assert fake_notify.accepted("email")[1].personalisation["calendar_link"] == ""


def _day_before(session):
    return session.starts_at - timedelta(days=1)


def test_a_text_reminder_goes_once_the_day_before_to_someone_who_asked(session, fake_notify):
    settings = notify_settings(session.programme.organiser, fake_notify)
    asked = book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=True)
    book(session, "sam.jones@coventry.gov.uk", mobile_number="+447700900123", text_reminder_wanted=False)
    book(session, "kim.lee@coventry.gov.uk")
    deliver_due()  # the confirmations
    day_before = _day_before(session)

    send_due_reminders(now=day_before - timedelta(minutes=1))
    assert Email.objects.filter(kind=TEXT_REMINDER).count() == 0  # not yet

    send_due_reminders(now=day_before)
    send_due_reminders(now=day_before + timedelta(hours=1))  # a later run queues it again: no
    deliver_due()
    deliver_due()

    (text,) = fake_notify.accepted("sms")
    assert text.body["phone_number"] == MOBILE
    assert text.template_id == settings.sms_template_id
    assert session.title in text.personalisation["body"]
    assert asked.reference in text.personalisation["body"]
    assert Email.objects.get(kind=TEXT_REMINDER).status == Email.Status.SENT


def test_no_text_reminder_when_the_organisation_sends_no_texts(session, fake_notify):
    notify_settings(session.programme.organiser, fake_notify, sms_template_id="")
    book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=True)

    send_due_reminders(now=_day_before(session))
    deliver_due()

    assert fake_notify.accepted("sms") == []
    assert not Email.objects.filter(kind=TEXT_REMINDER).exists()


def test_a_text_queued_before_the_place_was_cancelled_is_not_sent(session, fake_notify):
    notify_settings(session.programme.organiser, fake_notify)
    booking = book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=True)
    send_due_reminders(now=_day_before(session))
    cancel_booking(booking_id=booking.pk, actor=SYSTEM)
    deliver_due()

    assert fake_notify.accepted("sms") == []
    assert Email.objects.get(kind=TEXT_REMINDER).status == Email.Status.SKIPPED


def test_a_text_is_skipped_when_the_organisation_went_back_to_smtp(session, fake_notify):
    settings = notify_settings(session.programme.organiser, fake_notify)
    book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=True)
    send_due_reminders(now=_day_before(session))
    NotifySettings.objects.filter(pk=settings.pk).update(sending=NotifySettings.Sending.SMTP)
    deliver_due()

    assert fake_notify.requests == [] or fake_notify.accepted("sms") == []
    assert Email.objects.get(kind=TEXT_REMINDER).status == Email.Status.SKIPPED


def test_a_mobile_number_without_the_ask_is_not_kept(session):
    booking = book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=False)
    assert (booking.mobile_number, booking.text_reminder_wanted) == ("", False)


def test_the_mobile_number_is_shown_in_subject_access_and_erased(session, fake_notify):
    notify_settings(session.programme.organiser, fake_notify)
    booking = book(session, "alex.smith@coventry.gov.uk", mobile_number=MOBILE, text_reminder_wanted=True)
    send_due_reminders(now=_day_before(session))
    deliver_due()

    held = find("alex.smith@coventry.gov.uk")
    assert held[0].fields["Mobile number"] == MOBILE
    assert [record.fields["To"] for record in held if record.kind == "Text message sent"] == [MOBILE]

    erase_person("alex.smith@coventry.gov.uk", reason="Asked", actor=SYSTEM)

    booking.refresh_from_db()
    assert (booking.mobile_number, booking.text_reminder_wanted) == ("", False)
    assert not Email.objects.filter(to=MOBILE).exists()


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("07700 900982", MOBILE),
        ("07700-900-982", MOBILE),
        ("+44 7700 900982", MOBILE),
        ("+44 (0)7700 900982", MOBILE),
        ("0044 7700 900982", MOBILE),
        ("447700900982", MOBILE),
        ("07624 123456", "+447624123456"),  # Isle of Man
    ],
)
def test_uk_mobile_numbers_are_written_one_way(typed, normalised):
    assert normalise_uk_mobile(typed) == normalised


@pytest.mark.parametrize(
    "typed", ["024 7683 1234", "07700 90098", "07700 9009821", "+33 6 12 34 56 78", "07600 900982", "phone me"]
)
def test_landlines_foreign_and_wrong_lengths_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_uk_mobile(typed)


def test_kinds_of_booking_email_have_no_clash_with_the_text_reminder():
    assert TEXT_REMINDER not in EmailKind.values
