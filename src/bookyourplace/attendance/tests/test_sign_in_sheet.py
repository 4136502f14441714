"""The printed sign-in sheet, read back from the PDF as a person reads the paper: names by
surname, nothing private on the sheet people sign, the header and page numbers on every page."""

import io
import re

import pytest
from pypdf import PdfReader

from bookyourplace.attendance.sign_in_sheet import download_sign_in_sheet, sign_in_sheet_pdf
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book_people, numbered_people
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session

ORGANISER = Actor(label="Hana Ali")


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def in_person(make_session):
    return make_session(
        title="Understanding Prevent",
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        joining_url="",
        room="Room 1.4",
        venue="Friargate",
        capacity=80,
    )


@pytest.fixture
def booked(in_person):
    people = book_people(
        in_person,
        [("Zoe", "Zhang"), ("Dan", "de Souza"), ("Ann", "Evans")],
        access_needs="Wheelchair user: step-free route, please",
    )
    leaving = book_people(in_person, [("Carl", "Cancelled")])[0]
    cancel_booking(booking_id=leaving.pk, actor=ORGANISER, by_organiser=True, reason="Cannot come.")
    return people


def test_the_sheet_has_the_session_and_the_attendees_in_surname_order(in_person, booked):
    text = " ".join(pages_of(sign_in_sheet_pdf(session=in_person)))

    assert "Understanding Prevent" in text
    assert re.search(r"Date: \w+day \d+ \w+ \d{4}", text)
    assert "Time: 10:00 to 12:00" in text
    assert "Room: Room 1.4, Friargate" in text
    names = re.findall(r"(de Souza, Dan|Evans, Ann|Zhang, Zoe)", text)
    assert names == ["de Souza, Dan", "Evans, Ann", "Zhang, Zoe"]
    assert "Coventry City Council" in text
    assert "Cancelled, Carl" not in text


def test_the_sheet_people_sign_has_no_access_needs_or_emails(in_person, booked):
    text = " ".join(pages_of(sign_in_sheet_pdf(session=in_person)))

    assert "Wheelchair" not in text
    assert "Access needs" not in text
    assert "@example.org" not in text


def test_the_organisers_copy_has_access_needs_and_emails(in_person, booked):
    text = " ".join(pages_of(sign_in_sheet_pdf(session=in_person, organiser_copy=True)))

    assert "Organiser's copy" in text
    assert text.count("Wheelchair user: step-free route, please") == 3
    assert booked[0].email in text.replace(" ", "")


def test_a_long_register_repeats_its_header_and_numbers_its_pages(in_person):
    book_people(in_person, numbered_people(60))

    pages = pages_of(sign_in_sheet_pdf(session=in_person))

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Name Organisation Signature" in page, f"page {number} has no header"
        assert f"Page {number} of {len(pages)}" in page
    assert "Surname059, Person59" in " ".join(pages[1:])


def test_the_sheet_ends_with_blank_rows_for_walk_ins(in_person, booked):
    with_rows = sign_in_sheet_pdf(session=in_person, blank_rows=40)
    without = sign_in_sheet_pdf(session=in_person, blank_rows=0)

    assert "Not on the list?" in pages_of(with_rows)[0]
    assert "Not on the list?" not in " ".join(pages_of(without))
    assert len(pages_of(with_rows)) > len(pages_of(without))


def test_each_download_is_in_the_audit_log(in_person, booked):
    sheet = download_sign_in_sheet(session=in_person, actor=ORGANISER, organiser_copy=True)

    assert sheet.content.startswith(b"%PDF")
    assert sheet.filename.endswith("-understanding-prevent-sign-in-sheet-organiser-copy.pdf")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.summary == (
        "Downloaded the organiser's copy of the sign-in sheet of 'Understanding Prevent' (Coventry Prevent Week)"
    )
