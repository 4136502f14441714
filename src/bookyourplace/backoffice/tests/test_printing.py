"""Print the programme from the back office: the links on the programme page, the PDF, the
poster and the plain text for emails, a draft marked "Draft", and a change showing at once.
Who may open each is in test_permissions.py."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Programme


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def draft(programme, make_session):
    """The programme as a draft with one session, its joining link set."""
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)
    cache.clear()
    return make_session(title="Order of Nine Angles", subtitle="Occultist Extremism and Prevent")


def url(name: str, programme) -> str:
    return reverse(f"backoffice:{name}", kwargs={"programme_id": programme.pk})


def test_the_programme_page_offers_the_pdf_poster_and_plain_text_to_a_viewer(client, programme, viewer, draft):
    page = client.get(url("programme", programme)).content.decode()

    assert '<h2 class="govuk-heading-m">Print the programme</h2>' in page
    for name, words in (
        ("programme_print_pdf", "Print the programme (PDF)"),
        ("programme_print_poster", "Poster (PDF)"),
        ("programme_print_text", "Plain text for emails"),
    ):
        assert f'href="{url(name, programme)}"' in page
        assert words in page
    assert "While the programme is a draft, each of these says “Draft”" in text_of(
        client.get(url("programme", programme))
    )


def test_a_draft_prints_from_the_back_office_marked_draft_but_not_on_the_public_site(
    client, programme, coordinator, draft
):
    pdf = client.get(url("programme_print_pdf", programme))
    poster = client.get(url("programme_print_poster", programme))

    assert pdf.status_code == poster.status_code == 200
    assert pdf["Content-Disposition"] == 'attachment; filename="coventry-prevent-week-draft.pdf"'
    assert poster["Content-Disposition"] == 'attachment; filename="coventry-prevent-week-poster-draft.pdf"'
    assert pdf["Cache-Control"].startswith("max-age=0")
    for response in (pdf, poster):
        text = pdf_text(response.content)
        assert "Draft: this programme is not published yet" in text
        assert "Order of Nine Angles" in text
        assert "secret-joining-link" not in text
    assert client.get("/programmes/coventry-prevent-week/programme.pdf").status_code == 404


def test_the_plain_text_page_shows_the_text_to_copy_and_a_file_to_download(client, programme, viewer, session):
    page = client.get(url("programme_print_text", programme))
    download = client.get(url("programme_print_text_file", programme))
    html = page.content.decode()

    assert page.status_code == 200
    assert '<textarea class="govuk-textarea" id="programme-text" name="programme-text" rows="' in html
    assert "readonly" in html
    assert "select all the text (Ctrl and A" in html
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="coventry-prevent-week.txt"'
    text = download.content.decode()
    assert text.startswith("Coventry Prevent Week\n")
    assert "Self-Initiated Terrorism\nTime: 10:00 to 12:00\nWhere: Online (Microsoft Teams)" in text
    assert f"http://testserver/programmes/coventry-prevent-week/sessions/{session.pk}/" in text
    assert "secret-joining-link" not in text and "Cameras on" not in text
    assert "Self-Initiated Terrorism" in text_of(page)


def test_a_session_changed_in_the_back_office_shows_in_the_next_pdf(client, programme, coordinator, session):
    cache.clear()
    before = pdf_text(client.get(url("programme_print_pdf", programme)).content)
    local = session.starts_at.astimezone(programme.tz)

    edited = client.post(
        reverse("backoffice:session_edit", kwargs={"session_id": session.pk}),
        {
            "title": "Understanding Self-Initiated Terrorism",
            "date": local.date().isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "delivery": "online",
            "platform": "Microsoft Teams",
            "joining_url": session.joining_url,
            "capacity": "20",
        },
    )
    after = pdf_text(client.get(url("programme_print_pdf", programme)).content)

    assert edited.status_code == 302
    assert "Self-Initiated Terrorism" in before and "Understanding Self-Initiated Terrorism" not in before
    assert "Understanding Self-Initiated Terrorism" in after
