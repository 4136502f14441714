"""The certificate PDF, read back as text the way a person would read the page."""

import io

import pytest
from pypdf import PdfReader

from bookyourplace.certificates.pdf import certificate_pdf, duration_in_words, verification_url
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.certificates.testing import attended_booking
from bookyourplace.core.formatting import session_date
from bookyourplace.privacy.services import SYSTEM


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(90, "1 hour 30 minutes"), (120, "2 hours"), (45, "45 minutes"), (60, "1 hour"), (61, "1 hour 1 minute")],
)
def test_duration_in_words(minutes, words):
    assert duration_in_words(minutes) == words


def test_the_certificate_says_who_attended_what_when_for_how_long_with_whom(programme, organiser, session):
    booking = attended_booking(session, first_name="Priya", last_name="Shah")
    certificate = issue_certificate(booking=booking, actor=SYSTEM)

    content = certificate_pdf(certificate)
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)

    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (842, 595), "Not A4 landscape"
    for fact in [
        "Certificate of attendance",
        "Priya Shah",
        "Self-Initiated Terrorism",
        session_date(booking.session.starts_at, programme.tz),
        "1 hour 30 minutes",
        "Coventry Prevent Partnership",
        "Coventry Prevent Week",
        certificate.grouped_code,
        verification_url(certificate),
    ]:
        assert fact in text, f"{fact!r} is not on the certificate: {text}"
    assert "alex.smith@coventry.gov.uk" not in text


def test_a_corrected_name_shows_on_the_next_download_with_the_same_code(session):
    booking = attended_booking(session, first_name="Pria", last_name="Shah")
    certificate = issue_certificate(booking=booking, actor=SYSTEM)
    first = pdf_text(certificate_pdf(certificate))

    booking.first_name = "Priya"
    booking.save()
    again = issue_certificate(booking=booking, actor=SYSTEM)
    second = pdf_text(certificate_pdf(again))

    assert "Pria Shah" in first
    assert "Priya Shah" in second and "Pria Shah" not in second
    assert again.grouped_code in first and again.grouped_code in second
