"""The manage page's certificate part (public/_manage_certificate.html reads what this returns).

Once the booking may have a certificate it is issued here, so the page can show its code
beside the download link, and its PDF written once to say how big the download is.
"""

from bookyourplace.bookings.models import Booking
from bookyourplace.certificates.pdf import pdf_size
from bookyourplace.certificates.services import Eligibility, certificate_status, issue_certificate
from bookyourplace.privacy.services import Actor


def context(booking: Booking, *, token: str) -> dict:
    status = certificate_status(booking)
    certificate = status.certificate
    if status.eligible and certificate is None:
        # The manage link is the attendee's own: they are the one it is issued to.
        certificate = issue_certificate(booking=booking, actor=Actor(label=booking.full_name))
    return {
        "certificate": certificate if status.eligible else None,
        "certificate_pdf_size": pdf_size(certificate) if status.eligible else None,
        "certificate_needs_feedback": status.eligibility == Eligibility.NEEDS_FEEDBACK,
        "certificate_withdrawn": status.withdrawn,
    }
