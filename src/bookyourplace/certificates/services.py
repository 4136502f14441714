"""Certificates of attendance: who may have one, issuing it, and checking a code.

Every path asks ``certificate_status`` (the manage page, the PDF download, the public
verification page, the back office), so one rule decides them all:

- A booking may have a certificate when it is confirmed, its attendance is *attended*, the
  programme offers certificates and, if the programme asks for it, feedback has been given.
- Once issued, a certificate stays valid for as long as the attendance it certifies stands.
  Switching certificates off later, or starting to ask for feedback first, changes who is
  issued one from then on, not what was already certified.
- A certificate is withdrawn when its attendance is: corrected to partly attended or no-show,
  unmarked, or the booking cancelled. Marked attended again, the same code is valid again.

Validity is decided from the attendance each time a certificate is looked at; the change is
also written down (``revoked_at``, and the audit log) the first time it is seen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.attendance.models import Attendance, Outcome
from bookyourplace.attendance.services import outcome_of
from bookyourplace.bookings.models import Booking
from bookyourplace.certificates import codes
from bookyourplace.certificates.errors import NoCertificate
from bookyourplace.certificates.models import Certificate
from bookyourplace.feedback.services import bookings_with_feedback, has_given_feedback
from bookyourplace.privacy.services import SYSTEM, Actor, record
from bookyourplace.programmes.models import Session

# Fifty random bits make a clash all but impossible; a few tries make it certain.
_CODE_TRIES = 5


class Eligibility(StrEnum):
    ELIGIBLE = "eligible"
    # Cancelled, waiting, not approved: only a confirmed place can have been attended.
    NOT_CONFIRMED = "not_confirmed"
    # Not marked attended (yet): partly attended, a no-show, or the session is still to come.
    NOT_ATTENDED = "not_attended"
    # The programme does not give certificates.
    NOT_OFFERED = "not_offered"
    # Attended, and the programme asks for feedback before the certificate.
    NEEDS_FEEDBACK = "needs_feedback"


_REFUSALS = {
    Eligibility.NOT_CONFIRMED: _("There is no certificate for this booking, because it is not a confirmed place."),
    Eligibility.NOT_ATTENDED: _(
        "There is no certificate for this booking yet. Certificates are for people marked as having "
        "attended the session."
    ),
    Eligibility.NOT_OFFERED: _("This training programme does not give certificates of attendance."),
    Eligibility.NEEDS_FEEDBACK: _("Give your feedback on the session to get your certificate."),
}


@dataclass(frozen=True)
class CertificateStatus:
    """Where a booking stands for a certificate, and its certificate if one was issued."""

    booking: Booking
    eligibility: Eligibility
    certificate: Certificate | None

    @property
    def eligible(self) -> bool:
        return self.eligibility == Eligibility.ELIGIBLE

    @property
    def attended(self) -> bool:
        return self.eligibility not in (Eligibility.NOT_CONFIRMED, Eligibility.NOT_ATTENDED)

    @property
    def valid(self) -> bool:
        """An issued certificate that still stands."""
        return self.certificate is not None and self.attended

    @property
    def withdrawn(self) -> bool:
        """An issued certificate whose attendance has been withdrawn since."""
        return self.certificate is not None and not self.attended

    @property
    def refusal(self) -> NoCertificate | None:
        """Why there is no certificate to download, in the attendee's words; None if there is."""
        if self.eligible:
            return None
        if self.withdrawn:
            return NoCertificate(_("Your certificate has been withdrawn because your attendance record was changed."))
        return NoCertificate(_REFUSALS[self.eligibility])


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show of a certificate: nothing more."""

    code: str
    # Empty once the holder's details are removed (retention or erasure): the page says so.
    name: str
    session_title: str
    session: Session
    valid: bool


def certificate_status(booking: Booking, *, now: datetime | None = None) -> CertificateStatus:
    """The one rule: may this booking have a certificate, and does its certificate stand?

    An issued certificate seen withdrawn (or valid again) is written down as such here, so
    every path that looks keeps ``revoked_at`` and the audit log up to date."""
    now = now or timezone.now()
    certificate = Certificate.objects.filter(booking=booking).first()
    eligibility = _eligibility(booking, certificate, now=now)
    status = CertificateStatus(booking=booking, eligibility=eligibility, certificate=certificate)
    if certificate is not None:
        _note_whether_withdrawn(status, now=now)
    return status


def _eligibility(
    booking: Booking,
    certificate: Certificate | None,
    *,
    now: datetime,
    attendance: Attendance | None | bool = False,
    feedback_given: bool | None = None,
) -> Eligibility:
    """``attendance`` and ``feedback_given`` when already read (``statuses_of``); read here if not."""
    if not booking.is_confirmed:
        return Eligibility.NOT_CONFIRMED
    if attendance is False:
        attendance = Attendance.objects.filter(booking=booking).first()
    if outcome_of(booking, attendance, now=now) != Outcome.ATTENDED:
        return Eligibility.NOT_ATTENDED
    if certificate is not None:
        return Eligibility.ELIGIBLE
    programme = booking.session.programme
    if not programme.certificates_enabled:
        return Eligibility.NOT_OFFERED
    if feedback_given is None:
        feedback_given = programme.certificate_needs_feedback and has_given_feedback(booking)
    if programme.certificate_needs_feedback and not feedback_given:
        return Eligibility.NEEDS_FEEDBACK
    return Eligibility.ELIGIBLE


def statuses_of(bookings: Iterable[Booking], *, now: datetime | None = None) -> dict[int, CertificateStatus]:
    """``certificate_status`` of many bookings (one person's list of them) in three queries,
    whatever their number; only read, nothing written (the download writes what it sees).
    The bookings need their session and programme loaded."""
    now = now or timezone.now()
    bookings = list(bookings)
    confirmed = [booking.pk for booking in bookings if booking.is_confirmed]
    if not confirmed:
        return {
            booking.pk: CertificateStatus(booking=booking, eligibility=Eligibility.NOT_CONFIRMED, certificate=None)
            for booking in bookings
        }
    certificates = {c.booking_id: c for c in Certificate.objects.filter(booking_id__in=confirmed)}
    attendances = {a.booking_id: a for a in Attendance.objects.filter(booking_id__in=confirmed)}
    given = bookings_with_feedback(confirmed)
    return {
        booking.pk: CertificateStatus(
            booking=booking,
            eligibility=_eligibility(
                booking,
                certificates.get(booking.pk),
                now=now,
                attendance=attendances.get(booking.pk),
                feedback_given=booking.pk in given,
            ),
            certificate=certificates.get(booking.pk),
        )
        for booking in bookings
    }


def _note_whether_withdrawn(status: CertificateStatus, *, now: datetime) -> None:
    certificate, booking = status.certificate, status.booking
    if status.withdrawn == (certificate.revoked_at is not None):
        return
    certificate.revoked_at = now if status.withdrawn else None
    certificate.save(update_fields=["revoked_at"])
    what = "withdrawn: the attendance is no longer marked attended" if status.withdrawn else "valid again"
    record(
        actor=SYSTEM,
        action="certificate.withdrawn" if status.withdrawn else "certificate.valid_again",
        summary=f"Certificate {certificate.grouped_code} of {booking.reference} ({booking.full_name}) {what}",
        subject=booking,
        programme_id=booking.session.programme_id,
    )


def issue_certificate(*, booking: Booking, actor: Actor, now: datetime | None = None) -> Certificate:
    """The booking's certificate: the one issued before, or a new one with a new code.

    Raises ``NoCertificate`` (saying why) when the booking may not have one."""
    now = now or timezone.now()
    status = certificate_status(booking, now=now)
    if status.refusal is not None:
        raise status.refusal
    if status.certificate is not None:
        return status.certificate
    for _try in range(_CODE_TRIES):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(booking=booking, code=codes.new_code(), issued_at=now)
                record(
                    actor=actor,
                    action="certificate.issued",
                    summary=(
                        f"Issued certificate {certificate.grouped_code} to {booking.reference} ({booking.full_name})"
                    ),
                    subject=booking,
                    programme_id=booking.session.programme_id,
                )
                return certificate
        except IntegrityError:
            # Issued meanwhile by another request for the same booking (two clicks at once):
            # that one is the certificate. Otherwise the code was taken: try another.
            existing = Certificate.objects.filter(booking=booking).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not find a free certificate code")


def find_certificate(code: str) -> Certificate | None:
    """The certificate with this code as someone typed it (any case, with or without dashes)."""
    normalised = codes.normalise(code)
    if normalised is None:
        return None
    return Certificate.objects.select_related("booking__session__programme").filter(code=normalised).first()


def verify(certificate: Certificate, *, now: datetime | None = None) -> Verification:
    """What the public may know of a certificate: whose it is, for which session, and
    whether it stands now."""
    booking = certificate.booking
    status = certificate_status(booking, now=now)
    return Verification(
        code=certificate.grouped_code,
        name="" if booking.anonymised_at else booking.full_name,
        session_title=booking.session.title,
        session=booking.session,
        valid=status.valid,
    )
