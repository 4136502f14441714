"""The certificate of attendance as a PDF, written afresh from the booking on each download.

So a name corrected since shows; the code stays the certificate's own. The QR code on it
opens the public verification page for that code.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.bookings.models import Booking
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.core.formatting import session_date
from bookyourplace.privacy.services import Actor


def verification_url(certificate: Certificate) -> str:
    """The public page that says whether this certificate is valid (the QR code's link)."""
    return settings.SITE_URL + reverse("public:certificate_verify", kwargs={"code": certificate.grouped_code})


def duration_in_words(minutes: int) -> str:
    """'1 hour 30 minutes', '2 hours', '45 minutes'."""
    hours, minutes = divmod(max(0, minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)


def filename(certificate: Certificate) -> str:
    """'certificate-of-attendance-understanding-prevent-7K3M-9QXD-2F.pdf'."""
    title = slugify(certificate.booking.session.title)[:50]
    return f"certificate-of-attendance-{title}-{certificate.grouped_code}.pdf"


def certificate_pdf(certificate: Certificate) -> bytes:
    """A4 landscape: who attended what, when, for how long, with whom; the code and its QR code."""
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    booking = certificate.booking
    session = booking.session
    programme = session.programme
    url = verification_url(certificate)
    minutes = round((session.ends_at - session.starts_at).total_seconds() / 60)
    html = render_to_string(
        "certificates/certificate.html",
        {
            "name": booking.full_name,
            "session": session,
            "programme": programme,
            "organiser": programme.organiser,
            "date": session_date(session.starts_at, programme.tz),
            "duration": duration_in_words(minutes),
            "code": certificate.grouped_code,
            "verification_url": url,
            # Error correction M: still read from a creased or faded print.
            "qr_code": segno.make_qr(url, error="m").svg_inline(
                dark="#0b0c0c", light="#ffffff", omitsize=True, border=0
            ),
            "title": _("Certificate of attendance"),
        },
    )
    # Nothing is fetched: the certificate needs no file or address outside the page itself.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


@dataclass(frozen=True)
class CertificateFile:
    certificate: Certificate
    content: bytes
    filename: str


def download_certificate(*, booking: Booking, actor: Actor) -> CertificateFile:
    """The booking's certificate as a PDF, issued now if it had none (``NoCertificate`` says
    why not). Written afresh each time; its size is kept for the manage page's link."""
    certificate = issue_certificate(booking=booking, actor=actor)
    content = certificate_pdf(certificate)
    _keep_size(certificate, content)
    return CertificateFile(certificate=certificate, content=content, filename=filename(certificate))


def pdf_size(certificate: Certificate) -> int:
    """The size of the certificate's PDF, for a download link: as last written, or written
    now the first time it is asked (a name corrected since changes it by a few bytes)."""
    if certificate.pdf_size is None:
        _keep_size(certificate, certificate_pdf(certificate))
    return certificate.pdf_size


def _keep_size(certificate: Certificate, content: bytes) -> None:
    if certificate.pdf_size != len(content):
        certificate.pdf_size = len(content)
        certificate.save(update_fields=["pdf_size"])
