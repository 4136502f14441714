"""Organisers download the bookings of a session or a programme; viewers may not."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser, Programme

FORMULA = '=HYPERLINK("http://x","y")'


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(downloaded(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export_urls(session):
    return [
        reverse("backoffice:session_export_csv", args=[session.pk]),
        reverse("backoffice:session_export_xlsx", args=[session.pk]),
        reverse("backoffice:programme_export_csv", args=[session.programme_id]),
        reverse("backoffice:programme_export_xlsx", args=[session.programme_id]),
    ]


def test_session_csv_has_the_byte_order_mark_the_header_and_each_booking(client, coordinator, session, book):
    alex = book(session, "alex.smith@coventry.gov.uk", access_needs="Captions, please")

    response = client.get(reverse("backoffice:session_export_csv", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    date = session.starts_at.astimezone(session.programme.tz).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="coventry-prevent-week-{date}-self-initiated-terrorism-bookings.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    body = downloaded(response)
    assert body.startswith(b"\xef\xbb\xbfReference,First name,Last name,Email,")
    header, row = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    assert header[-3:] == ["Booked at", "Session", "Session date"]
    assert row[:9] == [
        alex.reference,
        "Alex",
        "Smith",
        "alex.smith@coventry.gov.uk",
        "Coventry City Council",
        "Local authority children's services",
        "Social worker",
        "Captions, please",
        "Confirmed",
    ]
    assert row[-2:] == ["Self-Initiated Terrorism", date]


def test_a_name_that_is_a_formula_is_exported_as_plain_text(client, coordinator, session, book):
    book(session, "mallory@example.org", first_name=FORMULA, organisation="+44 Ltd")

    [_, csv_row] = csv_rows(client.get(reverse("backoffice:session_export_csv", args=[session.pk])))
    [_, xlsx_row] = xlsx_rows(client.get(reverse("backoffice:session_export_xlsx", args=[session.pk])))

    assert csv_row[1] == "'" + FORMULA
    assert csv_row[4] == "'+44 Ltd"
    assert xlsx_row[1] == "'" + FORMULA
    assert xlsx_row[4] == "'+44 Ltd"


def test_session_xlsx_is_a_workbook_of_the_bookings(client, coordinator, session, book):
    alex = book(session, "alex.smith@coventry.gov.uk")

    response = client.get(reverse("backoffice:session_export_xlsx", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="coventry-prevent-week-')
    header, row = xlsx_rows(response)
    assert header[:4] == ["Reference", "First name", "Last name", "Email"]
    assert row[:4] == [alex.reference, "Alex", "Smith", "alex.smith@coventry.gov.uk"]
    assert row[10] == "Self-Initiated Terrorism"


def test_programme_export_has_the_bookings_of_every_session_and_no_other_programme(
    client, coordinator, organiser, make_session, book
):
    monday = book(make_session(title="Monday briefing"), "monday@example.org")
    tuesday = book(make_session(title="Tuesday workshop"), "tuesday@example.org")
    elsewhere = Programme.objects.create(organiser=organiser, title="Last year", slug="last-year", status="published")
    book(make_session(programme=elsewhere, title="Old session"), "old@example.org")

    response = client.get(reverse("backoffice:programme_export_csv", args=[monday.session.programme_id]))

    assert response["Content-Disposition"] == 'attachment; filename="coventry-prevent-week-bookings.csv"'
    rows = csv_rows(response)
    assert sorted((row[0], row[10]) for row in rows[1:]) == sorted(
        [(monday.reference, "Monday briefing"), (tuesday.reference, "Tuesday workshop")]
    )

    workbook = client.get(reverse("backoffice:programme_export_xlsx", args=[monday.session.programme_id]))
    assert workbook["Content-Disposition"] == 'attachment; filename="coventry-prevent-week-bookings.xlsx"'
    assert sorted(row[0] for row in xlsx_rows(workbook)[1:]) == sorted([monday.reference, tuesday.reference])


def test_every_export_is_recorded_in_the_audit_log(client, coordinator, session, book):
    book(session, "alex.smith@coventry.gov.uk")

    for url in export_urls(session):
        downloaded(client.get(url))

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("id")
    assert [(event.actor, event.programme_id, event.subject_type) for event in events] == [
        (coordinator, session.programme_id, "session"),
        (coordinator, session.programme_id, "session"),
        (coordinator, session.programme_id, "programme"),
        (coordinator, session.programme_id, "programme"),
    ]
    assert [event.summary.rsplit(" ", 1)[-1] for event in events] == ["CSV", "XLSX", "CSV", "XLSX"]


def test_a_viewer_may_not_export_personal_data(client, viewer, session, book):
    book(session, "alex.smith@coventry.gov.uk")

    for url in export_urls(session):
        assert client.get(url).status_code == 403, url
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_another_organisers_bookings_cannot_be_exported(client, coordinator, make_session, book):
    warwick = Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="prevent@warwickshire.example"
    )
    theirs = Programme.objects.create(
        organiser=warwick, title="Warwickshire Week", slug="warwickshire-week", status="published"
    )
    session = make_session(programme=theirs)
    book(session, "kim@warwickshire.example")

    for url in export_urls(session):
        assert client.get(url).status_code == 404, url


def test_export_links_are_offered_to_organisers(client, coordinator, session):
    session_page = client.get(reverse("backoffice:session", args=[session.pk])).content.decode()
    programme_page = client.get(reverse("backoffice:programme", args=[session.programme_id])).content.decode()

    assert reverse("backoffice:session_export_csv", args=[session.pk]) in session_page
    assert reverse("backoffice:session_export_xlsx", args=[session.pk]) in session_page
    assert reverse("backoffice:programme_export_csv", args=[session.programme_id]) in programme_page
    assert reverse("backoffice:programme_export_xlsx", args=[session.programme_id]) in programme_page


def test_export_links_are_not_offered_to_viewers(client, viewer, session):
    session_page = client.get(reverse("backoffice:session", args=[session.pk])).content.decode()
    programme_page = client.get(reverse("backoffice:programme", args=[session.programme_id])).content.decode()

    assert "export" not in session_page
    assert "export" not in programme_page
