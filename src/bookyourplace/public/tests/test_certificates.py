"""Certificates of attendance on the public pages: the link on the manage page, the PDF, the
verification page a QR code opens, and the form to type a code into."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.testing import book
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.testing import attended_booking, give_feedback, held_yesterday, mark_as
from bookyourplace.core.formatting import session_date
from bookyourplace.core.log_masking import MASK, mask_secrets
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.public.tests.pages import manage_url_for

LOOKUP = "/certificates/"


def certificate_url(booking) -> str:
    return reverse("public:certificate", kwargs={"token": manage_token(booking)})


def verify_url(code: str) -> str:
    return reverse("public:certificate_verify", kwargs={"code": code})


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def summary_rows(response) -> list[tuple[str, str]]:
    """The page's summary list, as (key, value) pairs read as a person does."""
    html = response.content.decode()
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt><dd class="govuk-summary-list__value">(.*?)</dd>', html
    )
    return [(" ".join(k.split()), " ".join(re.sub(r"<[^>]+>", " ", v).split())) for k, v in rows]


@pytest.fixture
def attended(session):
    return attended_booking(
        session,
        "priya.shah@coventry.gov.uk",
        first_name="Priya",
        last_name="Shah",
        organisation="Coventry City Council",
        job_title="Family support worker",
    )


# --- The manage page and the download -----------------------------------------------------------


def test_an_attendee_downloads_their_certificate_from_the_manage_page(client, attended):
    page = client.get(manage_url_for(attended))
    certificate = Certificate.objects.get(booking=attended)

    text = text_of(page)
    assert "Your certificate" in text
    assert re.search(r"Download your certificate of attendance \(PDF, \d+(\.\d)? KB\)", text), text
    assert f"Certificate code: {certificate.grouped_code}" in text
    assert f'href="{certificate_url(attended)}"' in page.content.decode()

    download = client.get(certificate_url(attended))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="certificate-of-attendance-self-initiated-terrorism-{certificate.grouped_code}.pdf"'
    )
    assert download["Cache-Control"] == "private, no-store"
    pdf = pdf_text(download)
    session = attended.session
    for fact in [
        "Priya Shah",
        "Self-Initiated Terrorism",
        session_date(session.starts_at, session.programme.tz),
        "1 hour 30 minutes",
        "Coventry Prevent Partnership",
        certificate.grouped_code,
    ]:
        assert fact in pdf, f"{fact!r} is not on the certificate"


def test_issuing_is_audited_once_however_often_the_certificate_is_downloaded(client, attended):
    client.get(manage_url_for(attended))
    client.get(certificate_url(attended))
    client.get(certificate_url(attended))

    issued = AuditEvent.objects.filter(action="certificate.issued")
    assert [event.actor_label for event in issued] == ["Priya Shah"]


def test_a_booking_not_marked_attended_has_no_certificate_link_and_no_download(client, session):
    booking = book(session, "alex@example.org")
    held_yesterday(session)
    mark_as(booking, Outcome.PARTLY_ATTENDED)

    page = text_of(client.get(manage_url_for(booking)))
    download = client.get(certificate_url(booking))

    assert "Your certificate" not in page
    assert download.status_code == 404
    assert download["Content-Type"].startswith("text/html")
    assert "Your certificate is not available" in text_of(download)
    assert "Certificates are for people marked as having attended the session." in text_of(download)
    assert not Certificate.objects.exists()


def test_a_session_still_to_come_shows_no_certificate(client, session):
    booking = book(session, "alex@example.org")

    assert "Your certificate" not in text_of(client.get(manage_url_for(booking)))
    assert client.get(certificate_url(booking)).status_code == 404


def test_feedback_first_when_the_programme_asks_for_it(client, programme, attended):
    programme.certificate_needs_feedback = True
    programme.save()

    before = text_of(client.get(manage_url_for(attended)))
    refused = client.get(certificate_url(attended))
    give_feedback(attended)
    after = text_of(client.get(manage_url_for(attended)))

    assert "Give your feedback to get your certificate." in before
    assert "Download your certificate" not in before
    assert refused.status_code == 404
    assert "Give your feedback on the session to get your certificate." in text_of(refused)
    assert "Download your certificate of attendance" in after
    assert client.get(certificate_url(attended)).status_code == 200


def test_no_certificate_when_the_programme_gives_none(client, programme, attended):
    programme.certificates_enabled = False
    programme.save()

    assert "Your certificate" not in text_of(client.get(manage_url_for(attended)))
    assert "does not give certificates" in text_of(client.get(certificate_url(attended)))


def test_a_withdrawn_certificate_says_so_on_the_manage_page(client, attended):
    client.get(manage_url_for(attended))
    mark_as(attended, Outcome.NO_SHOW)

    page = text_of(client.get(manage_url_for(attended)))

    assert "Your certificate has been withdrawn because your attendance record was changed." in page
    assert "Download your certificate" not in page
    assert client.get(certificate_url(attended)).status_code == 404


def test_a_corrected_name_is_on_the_next_download_with_the_same_code(client, attended):
    first = client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code
    attended.first_name = "Priyanka"
    attended.save()

    second = client.get(certificate_url(attended))

    assert "Priya Shah" in pdf_text(first)
    assert "Priyanka Shah" in pdf_text(second)
    assert code in pdf_text(second)
    assert Certificate.objects.get(booking=attended).grouped_code == code


def test_a_wrong_manage_link_gets_no_certificate(client, attended):
    assert client.get("/booking/" + "x" * 32 + "/certificate.pdf").status_code == 404


# --- The verification page -----------------------------------------------------------------------


def test_the_verification_page_shows_only_the_name_session_date_and_validity(client, attended):
    client.get(certificate_url(attended))
    certificate = Certificate.objects.get(booking=attended)

    response = client.get(verify_url(certificate.grouped_code))

    session = attended.session
    assert response.status_code == 200
    assert summary_rows(response) == [
        ("Name", "Priya Shah"),
        ("Session", "Self-Initiated Terrorism"),
        ("Date", session_date(session.starts_at, session.programme.tz)),
    ]
    page = text_of(response)
    assert "Valid certificate" in page
    html = response.content.decode()
    for private in [
        "priya.shah@coventry.gov.uk",
        "Coventry City Council",
        "Family support worker",
        attended.reference,
        "Coventry Prevent Partnership",
        "teams.microsoft.com",
    ]:
        assert private not in html, f"{private!r} is on the verification page"


def test_the_verification_page_is_not_indexed_or_kept(client, attended):
    client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code

    response = client.get(verify_url(code))

    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"


def test_a_withdrawn_certificate_is_shown_as_not_valid_and_valid_again_when_re_marked(client, attended):
    client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code

    mark_as(attended, Outcome.NO_SHOW)
    withdrawn = text_of(client.get(verify_url(code)))
    mark_as(attended, Outcome.ATTENDED)
    again = text_of(client.get(verify_url(code)))

    assert "Withdrawn" in withdrawn
    assert "This certificate has been withdrawn." in withdrawn
    assert "Valid certificate" not in withdrawn
    assert "Valid certificate" in again
    assert "Withdrawn" not in again


def test_a_code_typed_into_the_address_bar_is_sent_to_its_printed_form(client, attended):
    client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code

    response = client.get(verify_url(code.replace("-", "").lower()))

    assert response.status_code == 302
    assert response["Location"] == verify_url(code)


@pytest.mark.parametrize("code", ["7K3M-9QXD-2F", "not-a-code", "x" * 300])
def test_a_made_up_code_is_not_found(client, attended, code):
    client.get(certificate_url(attended))

    response = client.get(verify_url(code))

    assert response.status_code == 404
    assert "No certificate has this code" in text_of(response)
    assert "Priya Shah" not in response.content.decode()


# --- The lookup form -------------------------------------------------------------------------------


def test_the_lookup_form_finds_a_code_however_it_is_typed(client, attended):
    client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code
    typed = " " + " ".join(code.replace("-", "").lower()) + " "

    response = client.post(LOOKUP, {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == verify_url(code)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the certificate code"),
        ("7K3M-9QXD", "Enter the certificate code as it is printed: 10 letters and numbers, like 7K3M-9QXD-2F"),
        ("7K3M-9QXD-2U", "Enter the certificate code as it is printed: 10 letters and numbers, like 7K3M-9QXD-2F"),
        ("7K3M-9QXD-2F", "No certificate has this code. Check it against the certificate and try again"),
    ],
)
def test_the_lookup_form_explains_what_is_wrong(client, attended, typed, message):
    response = client.post(LOOKUP, {"code": typed})

    assert response.status_code == 200
    page = text_of(response)
    assert f"There is a problem {message}" in page
    assert '<a href="#id_code">' in response.content.decode()
    assert page.startswith("Error: ")


def test_the_lookup_page_asks_for_the_code(client):
    page = text_of(client.get(LOOKUP))

    assert "Check a certificate of attendance" in page
    assert "Enter the certificate code" in page


# --- Guessing codes, and the logs --------------------------------------------------------------------


def test_guessing_codes_from_one_address_is_stopped(rate_limits_on, settings, attended):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "certificate_checks_per_address": "5/10m"}
    guesser, someone_else = Client(REMOTE_ADDR="198.51.100.66"), Client(REMOTE_ADDR="203.0.113.10")

    answers = [guesser.get(verify_url(f"7K3M-9QXD-{n:02d}")) for n in range(3)]
    answers += [guesser.post(LOOKUP, {"code": f"7K3M-9QXD-{n:02d}"}) for n in range(3, 6)]

    assert [a.status_code for a in answers] == [404, 404, 404, 200, 200, 429]
    assert "Sorry, there have been too many attempts" in text_of(answers[-1])
    assert guesser.get(verify_url("7K3M-9QXD-99")).status_code == 429
    assert someone_else.get(verify_url("7K3M-9QXD-99")).status_code == 404
    rate_limits_on.advance(11 * 60)
    assert guesser.get(verify_url("7K3M-9QXD-99")).status_code == 404


def test_the_default_limit_lets_an_employer_check_a_team(rate_limits_on, session, client):
    bookings = [book(session, f"person{n}@example.org") for n in range(20)]
    held_yesterday(session)
    codes = []
    for booking in bookings:
        mark_as(booking)
        client.get(manage_url_for(booking))
        codes.append(Certificate.objects.get(booking=booking).grouped_code)
    employer = Client(REMOTE_ADDR="203.0.113.10")

    for code in codes:
        found = employer.post(LOOKUP, {"code": code})
        assert found.status_code == 302
        assert "Valid certificate" in text_of(employer.get(found["Location"]))


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ('"GET /certificates/7K3M-9QXD-2F/ HTTP/1.1" 200', f'"GET /certificates/{MASK}/ HTTP/1.1" 200'),
        ("Not Found: /certificates/7k3m9qxd2f/", f"Not Found: /certificates/{MASK}/"),
        ('"GET /booking/AbC_-123/certificate.pdf HTTP/1.1" 200', f'"GET /booking/{MASK}/certificate.pdf HTTP/1.1" 200'),
        ('"POST /certificates/ HTTP/1.1" 302', '"POST /certificates/ HTTP/1.1" 302'),
    ],
)
def test_certificate_codes_and_links_are_masked_in_logs(line, masked):
    assert mask_secrets(line) == masked


def test_a_real_certificate_url_is_masked(client, attended):
    client.get(certificate_url(attended))
    code = Certificate.objects.get(booking=attended).grouped_code

    assert code not in mask_secrets(f"GET {verify_url(code)}")
    assert manage_token(attended) not in mask_secrets(f"GET {certificate_url(attended)}")
