"""Who may have a certificate, and what becomes of one when the attendance behind it changes."""

import itertools

import pytest

from bookyourplace.attendance.models import Outcome
from bookyourplace.attendance.services import undo_check_in
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.certificates.errors import NoCertificate
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.services import (
    Eligibility,
    certificate_status,
    find_certificate,
    issue_certificate,
    verify,
)
from bookyourplace.certificates.testing import attended_booking, give_feedback, held_yesterday, mark_as
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM, Actor

ATTENDEE = Actor(label="Alex Smith")

MATRIX = list(
    itertools.product(
        [Booking.Status.CONFIRMED, Booking.Status.CANCELLED, Booking.Status.PENDING],
        [Outcome.ATTENDED, Outcome.PARTLY_ATTENDED, Outcome.NO_SHOW, None],
        [False, True],  # the programme asks for feedback first
        [False, True],  # feedback given
    )
)


@pytest.mark.parametrize(("status", "outcome", "needs_feedback", "feedback_given"), MATRIX)
def test_certificate_status_over_booking_status_outcome_and_feedback(
    programme, session, status, outcome, needs_feedback, feedback_given
):
    programme.certificate_needs_feedback = needs_feedback
    programme.save()
    booking = book(session, "alex.smith@coventry.gov.uk")
    held_yesterday(session)
    if outcome is not None:
        mark_as(booking, outcome)
    if feedback_given:
        give_feedback(booking)
    Booking.objects.filter(pk=booking.pk).update(status=status)
    booking.refresh_from_db()

    eligible = (
        status == Booking.Status.CONFIRMED and outcome == Outcome.ATTENDED and (feedback_given or not needs_feedback)
    )
    assert certificate_status(booking).eligible is eligible
    if eligible:
        assert issue_certificate(booking=booking, actor=ATTENDEE).code
    else:
        with pytest.raises(NoCertificate):
            issue_certificate(booking=booking, actor=ATTENDEE)
        assert not Certificate.objects.exists()


def test_attended_without_the_feedback_asked_for_is_told_to_give_it(programme, session):
    programme.certificate_needs_feedback = True
    programme.save()
    booking = attended_booking(session)

    status = certificate_status(booking)

    assert status.eligibility == Eligibility.NEEDS_FEEDBACK
    assert status.refusal.message == "Give your feedback on the session to get your certificate."


def test_an_unmarked_booking_of_a_session_to_come_has_no_certificate_yet(session):
    booking = book(session, "alex.smith@coventry.gov.uk")

    assert certificate_status(booking).eligibility == Eligibility.NOT_ATTENDED


def test_a_programme_without_certificates_issues_none(programme, session):
    programme.certificates_enabled = False
    programme.save()
    booking = attended_booking(session)

    assert certificate_status(booking).eligibility == Eligibility.NOT_OFFERED
    with pytest.raises(NoCertificate, match="does not give certificates"):
        issue_certificate(booking=booking, actor=ATTENDEE)


def test_issuing_twice_gives_the_same_code_and_one_audit_entry(session):
    booking = attended_booking(session)

    first = issue_certificate(booking=booking, actor=ATTENDEE)
    second = issue_certificate(booking=booking, actor=ATTENDEE)

    assert second.code == first.code
    assert Certificate.objects.count() == 1
    issued = AuditEvent.objects.filter(action="certificate.issued")
    assert [(e.actor_label, e.summary) for e in issued] == [
        ("Alex Smith", f"Issued certificate {first.grouped_code} to {booking.reference} (Alex Smith)")
    ]


def test_every_booking_gets_its_own_code(make_session):
    session = make_session()
    bookings = [book(session, f"person{n}@example.org") for n in range(12)]
    held_yesterday(session)

    codes = {issue_certificate(booking=mark_as(b), actor=SYSTEM).code for b in bookings}

    assert len(codes) == 12


def test_a_code_already_taken_is_not_given_again(session, monkeypatch):
    first, second = book(session, "alex@example.org"), book(session, "bea@example.org")
    held_yesterday(session)
    taken = issue_certificate(booking=mark_as(first), actor=SYSTEM).code
    offered = iter([taken, "7K3M9QXD2F"])
    monkeypatch.setattr("bookyourplace.certificates.codes.new_code", lambda: next(offered))

    certificate = issue_certificate(booking=mark_as(second), actor=SYSTEM)

    assert certificate.code == "7K3M9QXD2F"
    assert certificate.grouped_code == "7K3M-9QXD-2F"


def test_corrected_to_no_show_the_certificate_is_withdrawn_and_valid_again_when_re_marked(session):
    booking = attended_booking(session)
    certificate = issue_certificate(booking=booking, actor=ATTENDEE)

    mark_as(booking, Outcome.NO_SHOW)
    withdrawn = verify(find_certificate(certificate.code))
    certificate.refresh_from_db()

    assert withdrawn.valid is False
    assert certificate.revoked_at is not None
    assert AuditEvent.objects.filter(action="certificate.withdrawn").count() == 1

    mark_as(booking, Outcome.ATTENDED)
    again = verify(find_certificate(certificate.code))
    certificate.refresh_from_db()

    assert again.valid is True
    assert again.code == certificate.grouped_code
    assert certificate.revoked_at is None
    assert AuditEvent.objects.filter(action="certificate.valid_again").count() == 1
    assert issue_certificate(booking=booking, actor=ATTENDEE).code == certificate.code


@pytest.mark.parametrize("outcome", [Outcome.PARTLY_ATTENDED, Outcome.NO_SHOW])
def test_a_certificate_is_withdrawn_with_its_attendance(session, outcome):
    booking = attended_booking(session)
    issue_certificate(booking=booking, actor=ATTENDEE)

    mark_as(booking, outcome)

    status = certificate_status(booking)
    assert (status.valid, status.withdrawn) == (False, True)
    assert status.refusal.message == "Your certificate has been withdrawn because your attendance record was changed."
    with pytest.raises(NoCertificate):
        issue_certificate(booking=booking, actor=ATTENDEE)


def test_a_certificate_is_withdrawn_when_the_attendance_mark_is_taken_back(session):
    booking = attended_booking(session)
    issue_certificate(booking=booking, actor=ATTENDEE)

    undo_check_in(booking=booking, session=session, actor=SYSTEM)

    assert certificate_status(booking).withdrawn


def test_a_certificate_is_withdrawn_when_the_booking_is_cancelled(session):
    booking = attended_booking(session)
    issue_certificate(booking=booking, actor=ATTENDEE)

    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    booking.refresh_from_db()

    assert certificate_status(booking).withdrawn


def test_an_issued_certificate_stays_valid_when_the_programme_stops_offering_them(programme, session):
    booking = attended_booking(session)
    certificate = issue_certificate(booking=booking, actor=ATTENDEE)

    programme.certificates_enabled = False
    programme.certificate_needs_feedback = True
    programme.save()

    assert verify(certificate).valid is True
    assert issue_certificate(booking=booking, actor=ATTENDEE).code == certificate.code


def test_verification_names_the_attendee_session_and_date_only(session):
    booking = attended_booking(session, first_name="Priya", last_name="Shah")
    certificate = issue_certificate(booking=booking, actor=ATTENDEE)

    checked = verify(find_certificate(certificate.code.lower()))

    assert (checked.name, checked.session_title, checked.session.pk, checked.valid) == (
        "Priya Shah",
        "Self-Initiated Terrorism",
        session.pk,
        True,
    )
