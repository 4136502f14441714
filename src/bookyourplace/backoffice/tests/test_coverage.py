"""The coverage pages: which organisations had nobody trained, importing their lists, the
follow-up list to download."""

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bookyourplace.accounts.testing import staff
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing import text_of
from bookyourplace.feedback.testing import mark
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser
from bookyourplace.reports.coverage_testing import area_organisation, gias_csv, gias_row, list_csv
from bookyourplace.reports.models import AreaOrganisation, Kind, Phase

COVERAGE = reverse("backoffice:coverage")
IMPORT = reverse("backoffice:coverage_import")
SAVE = reverse("backoffice:coverage_import_save")
CSV = reverse("backoffice:coverage_follow_up_csv")
XLSX = reverse("backoffice:coverage_follow_up_xlsx")

SCHOOLS = [
    gias_row(100001, "Whitley Academy", phase="Secondary", website="https://www.whitley-academy.example.sch.uk"),
    gias_row(100002, "Cardinal Newman Catholic School", type="Voluntary aided school", phase="Secondary"),
    gias_row(100003, "St Thomas’s Church of England Primary School", type="Voluntary aided school"),
    gias_row(100004, "Old Mill Junior School", status="Closed"),
    gias_row(100005, ""),
]


@pytest.fixture
def area(organiser, make_session):
    """Three schools and a nursery; two people from Whitley trained a month ago."""
    session = end_session(make_session(capacity=50), ago=dt.timedelta(days=30))
    area_organisation(organiser, "Whitley Academy", domains=["whitley.coventry.sch.uk"], urn="100001")
    area_organisation(organiser, "Cardinal Newman Catholic School", urn="100002", phase=Phase.SECONDARY)
    area_organisation(organiser, "=cmd|' /C calc'!A0", urn="100003")
    area_organisation(organiser, "Little Acorns Nursery", kind=Kind.EARLY_YEARS, type="Nursery", phase=Phase.NURSERY)
    for email in ("ben@whitley.coventry.sch.uk", "amy@whitley.coventry.sch.uk"):
        mark(booked(session, email, first_name="Secret", last_name="Attendee"))
    long_ago = end_session(make_session(title="Long ago"), ago=dt.timedelta(days=500))
    mark(booked(long_ago, "jo@gmail.com", organisation="Little Acorns Nursery"))
    return session


def booked(session, email, **details):
    """Booked a week before the (past) session."""
    return book(session, email, now=session.starts_at - dt.timedelta(days=7), **details)


def upload(client, data: bytes | None, source="gias", name="edubasealldata.csv"):
    fields = {"source": source}
    if data is not None:
        fields["file"] = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(IMPORT, fields)


def errors_of(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S) if summary else []
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def pending_of(preview) -> dict:
    (pending,) = re.findall(r'<input type="hidden" name="pending" value="(\d+)"', preview.content.decode())
    return {"pending": pending}


def test_the_coverage_page_sums_up_by_kind_and_lists_the_organisations(client, viewer, area):
    response = client.get(COVERAGE)

    text = text_of(response)
    assert "2 of 3 schools had nobody trained" in text
    assert "1 of 1 early years settings had nobody trained" in text
    assert "Whitley Academy URN 100001 whitley.coventry.sch.uk Academy converter Primary CV1 2AB 2" in text
    assert "Cardinal Newman Catholic School URN 100002 Academy converter Secondary CV1 2AB Nobody Never" in text
    assert "Little Acorns Nursery Nursery Nursery CV1 2AB Nobody" in text
    assert "Secret" not in text and "ben@" not in text  # organisations and counts, never who
    assert 'role="img"' in response.content.decode()  # the chart by kind, with its data
    assert "Show data" in text


def test_the_list_shows_only_those_with_nobody_trained_when_asked(client, viewer, area):
    response = client.get(COVERAGE, {"nobody_trained": "yes", "kind": "school"})

    text = text_of(response)
    assert "2 organisations" in text
    assert "Cardinal Newman Catholic School" in text
    assert "Whitley Academy URN" not in text
    assert "Little Acorns Nursery Nursery" not in text


def test_a_period_before_anyone_was_trained_shows_nobody(client, viewer, area):
    response = client.get(COVERAGE, {"months": "12", "date_from": "2020-01-01", "date_to": "2020-12-31"})

    text = text_of(response)
    assert "3 of 3 schools had nobody trained" in text


def test_a_half_given_period_is_an_error_and_the_last_12_months_are_shown(client, viewer, area):
    response = client.get(COVERAGE, {"date_from": "2026-01-01"})

    assert errors_of(response) == ["Give both the first and the last day, or neither"]
    assert "2 of 3 schools had nobody trained" in text_of(response)


def test_before_any_list_is_imported_the_page_says_how_to_start(client, admin, organiser):
    response = client.get(COVERAGE)

    text = text_of(response)
    assert "No organisations of the area have been imported yet." in text
    assert "Import a list of organisations" in text


def test_a_viewer_is_not_offered_the_import(client, viewer, organiser):
    text = text_of(client.get(COVERAGE))

    assert "Import a list of organisations" not in text
    assert "An administrator or an organiser can import them." in text


def test_the_page_takes_the_same_queries_for_many_organisations_as_for_one(
    client, viewer, organiser, make_session, django_assert_num_queries
):
    session = end_session(make_session(capacity=50), ago=dt.timedelta(days=30))
    area_organisation(organiser, "School 0", domains=["s0.example.sch.uk"], urn="1")
    mark(booked(session, "p@s0.example.sch.uk"))
    client.get(COVERAGE)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as one:
        client.get(COVERAGE)
    for n in range(1, 8):
        area_organisation(organiser, f"School {n}", domains=[f"s{n}.example.sch.uk"], urn=str(n + 1))
        mark(booked(session, f"p@s{n}.example.sch.uk"))

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(COVERAGE)
    assert "School 7" in text_of(response)


# --- Importing --------------------------------------------------------------------------------


def test_the_import_page_says_where_to_get_the_schools_list(client, coordinator):
    text = text_of(client.get(IMPORT))

    assert "Get Information About Schools" in text
    assert "Email domains" in text


def test_an_organiser_uploads_a_gias_extract_sees_the_preview_and_saves(client, coordinator, organiser):
    preview = upload(client, gias_csv(SCHOOLS))

    text = text_of(preview)
    assert "Check the list before saving" in text
    assert "Nothing has been saved yet." in text
    assert "New organisations 3 Updated 0 Unchanged 0 Closed, skipped 1" in text
    assert "Lines not imported 1" in text
    assert "Line 6: no name" in text
    assert AreaOrganisation.objects.count() == 0

    saved = client.post(SAVE, pending_of(preview), follow=True)

    assert saved.redirect_chain[-1][0] == COVERAGE
    assert "Saved: 3 new, 0 updated, 0 unchanged, 0 closed and removed." in text_of(saved)
    assert "3 of 3 schools had nobody trained" in text_of(saved)
    assert sorted(AreaOrganisation.objects.values_list("urn", flat=True)) == ["100001", "100002", "100003"]


def test_uploading_the_same_extract_again_says_it_changes_nothing(client, coordinator, organiser):
    client.post(SAVE, pending_of(upload(client, gias_csv(SCHOOLS))))

    again = upload(client, gias_csv(SCHOOLS))

    text = text_of(again)
    assert "New organisations 0 Updated 0 Unchanged 3" in text
    assert "This file changes nothing" in text
    assert "Save the organisations" not in text


def test_a_preview_is_saved_once(client, coordinator, organiser):
    preview = upload(client, gias_csv(SCHOOLS))
    client.post(SAVE, pending_of(preview))

    again = client.post(SAVE, pending_of(preview), follow=True)

    assert "The preview has expired or was already saved. Upload the file again." in text_of(again)
    assert AreaOrganisation.objects.count() == 3


def test_another_persons_preview_cannot_be_saved(client, coordinator, organiser, admin):
    preview = upload(client, gias_csv(SCHOOLS))  # as the administrator, signed in last
    client.force_login(staff(organiser, "organiser", email="other@coventry.gov.uk"))
    client.post(SAVE, pending_of(preview))

    assert AreaOrganisation.objects.count() == 0


def test_an_upload_with_no_file_or_the_wrong_layout_is_refused_with_an_error_summary(client, coordinator):
    assert errors_of(upload(client, None)) == ["Choose the file to import"]
    assert errors_of(upload(client, list_csv([("Coventry College", "College", "CV1 5DD", "")]))) == [
        "This is not a Get Information About Schools extract: it has no URN, EstablishmentName, "
        "TypeOfEstablishment (name), PhaseOfEducation (name), LA (name) and EstablishmentStatus (name) columns. Download the extract from GIAS "
        "again, or choose “A list of other organisations”."
    ]


def test_a_file_over_the_limit_is_refused(client, coordinator, settings):
    settings.BYP_COVERAGE_IMPORT_MAX_BYTES = 2048

    response = upload(client, gias_csv(SCHOOLS * 10))

    assert errors_of(response) == ["The file is larger than 2 KB."]


def test_a_plain_list_is_imported(client, coordinator, organiser):
    data = list_csv([("Coventry College", "College", "CV1 5DD", "coventrycollege.example.ac.uk; nhs.net")])

    preview = upload(client, data, source="list", name="others.csv")
    client.post(SAVE, pending_of(preview))

    assert "Line 2: nhs.net is shared by many organisations" in text_of(preview)
    college = AreaOrganisation.objects.get()
    assert (college.name, college.kind, list(college.domains.values_list("domain", flat=True))) == (
        "Coventry College",
        Kind.FURTHER_EDUCATION,
        ["coventrycollege.example.ac.uk"],
    )


# --- The follow-up list ----------------------------------------------------------------------------


def test_the_follow_up_csv_lists_those_with_nobody_trained_formula_safe_and_is_audited(client, viewer, area):
    response = client.get(CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nobody-trained-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Type",
        "Kind",
        "Phase",
        "Postcode",
        "URN",
        "Email domains",
        "People trained before",
        "Last trained",
    ]
    assert [row[0] for row in rows[1:]] == [
        "'=cmd|' /C calc'!A0",
        "Cardinal Newman Catholic School",
        "Little Acorns Nursery",
    ]
    assert rows[3][7:] == ["fewer than 5", rows[3][8]] and rows[3][8]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.summary.startswith("Exported the coverage follow-up list (3 organisations with nobody trained")
    assert event.actor_label


def test_the_follow_up_spreadsheet_has_the_same_rows(client, admin, area):
    response = client.get(XLSX, {"kind": "school"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values] == ["Name", "'=cmd|' /C calc'!A0", "Cardinal Newman Catholic School"]


def test_coverage_is_of_ones_own_organiser_only(client, viewer, area):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    area_organisation(elsewhere, "Their Secret School", urn="999999")

    text = text_of(client.get(COVERAGE, {"organiser": elsewhere.pk}))
    rows = b"".join(client.get(CSV, {"organiser": elsewhere.pk}).streaming_content).decode()

    assert "Their Secret School" not in text and "Their Secret School" not in rows
    assert "Cardinal Newman Catholic School" in text
