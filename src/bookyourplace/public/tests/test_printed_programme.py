"""The printed programme on the public site: the programme page's download links (saying
the file's type and paper), the PDF and the poster, for published programmes only."""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from bookyourplace.core.testing import text_of
from bookyourplace.programmes import printed
from bookyourplace.programmes.models import Programme

PDF_URL = "/programmes/coventry-prevent-week/programme.pdf"
POSTER_URL = "/programmes/coventry-prevent-week/poster.pdf"


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def sessions(make_session):
    cache.clear()
    return [
        make_session(title="School Massacre Phenomenon"),
        make_session(title="The COM Network"),
    ]


def test_the_programme_page_links_to_the_pdf_and_poster_saying_what_they_are(client, programme, sessions):
    with mock.patch.object(printed, "_write_pdf", side_effect=AssertionError("laid out")):
        page = text_of(client.get(programme.get_absolute_url()))  # the page writes no PDF

    assert "Download the programme (PDF, A4)" in page
    assert "Download a poster to put up (PDF, A4)" in page
    assert "Print the programme" in page
    assert len(PdfReader(io.BytesIO(client.get(POSTER_URL).content)).pages) == 1


def test_the_pdf_and_poster_download_with_every_session(client, programme, sessions):
    pdf = client.get(PDF_URL)
    poster = client.get(POSTER_URL)

    for response, name in ((pdf, "coventry-prevent-week.pdf"), (poster, "coventry-prevent-week-poster.pdf")):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert "max-age=300" in response["Cache-Control"]
        text = pdf_text(response.content)
        assert "School Massacre Phenomenon" in text and "The COM Network" in text
        assert "secret-joining-link" not in text


def test_a_download_written_once_costs_no_weasyprint_the_next_time(
    client, programme, sessions, django_assert_num_queries
):
    client.get(PDF_URL)
    client.get(POSTER_URL)

    with mock.patch.object(printed, "_write_pdf", side_effect=AssertionError("laid out again")):
        with django_assert_num_queries(1):  # the programme, nothing else
            assert client.get(PDF_URL).status_code == 200
        assert client.get(POSTER_URL).status_code == 200


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.ARCHIVED])
def test_a_programme_not_published_has_no_public_print(client, programme, sessions, status):
    Programme.objects.filter(pk=programme.pk).update(status=status)

    assert client.get(PDF_URL).status_code == 404
    assert client.get(POSTER_URL).status_code == 404
    assert client.get("/programmes/no-such-programme/programme.pdf").status_code == 404


def test_only_get_is_answered(client, programme, sessions):
    assert client.post(PDF_URL).status_code == 405
