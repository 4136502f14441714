"""The rows of a bookings export, and how they are written as CSV and Excel."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.models import Booking
from bookyourplace.reports import exports


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 24 7683 1234", "'+44 24 7683 1234"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Alex", "Alex"),
        ("O'Neil", "O'Neil"),
        ("a=b", "a=b"),
        ("", ""),
        (dt.date(2026, 1, 19), dt.date(2026, 1, 19)),
    ],
)
def test_neutralise_makes_text_a_spreadsheet_would_run_plain(value, exported):
    assert exports.neutralise(value) == exported


def test_csv_starts_with_the_byte_order_mark_and_quotes_what_needs_it():
    rows = [
        ["Name", "Booked at", "Session date"],
        ['Smith, "Al"', dt.datetime(2026, 1, 19, 13, 5), dt.date(2026, 1, 20)],
    ]

    text = "".join(exports.csv_stream(rows))

    assert text == '\ufeffName,Booked at,Session date\r\n"Smith, ""Al""",2026-01-19 13:05,2026-01-20\r\n'


def test_csv_neutralises_formulas():
    text = "".join(exports.csv_stream([["=1+1", "-2"]]))

    assert text == "\ufeff'=1+1,'-2\r\n"


def test_xlsx_keeps_dates_as_dates_and_formulas_as_text():
    rows = [["Name", "Booked at"], ["=1+1", dt.datetime(2026, 1, 19, 13, 5)], ["Tab\x0b=2", None]]
    file = io.BytesIO()

    exports.write_xlsx(rows, file=file)

    sheet = load_workbook(file).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Name", "Booked at"],
        ["'=1+1", dt.datetime(2026, 1, 19, 13, 5)],
        ["Tab=2", None],
    ]
    assert sheet["A1"].font.bold


def test_booking_rows_give_labels_and_local_times(session, attendee_details):
    booking = bookings.book_place(
        session_id=session.pk, attendee=attendee_details(access_needs="Step-free access", sector="health")
    )
    # 12:30 in UTC is 13:30 in London in summer.
    Booking.objects.filter(pk=booking.pk).update(created_at=dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC))

    header, row = exports.booking_rows(exports.bookings_of_session(session))

    assert header == [
        "Reference",
        "First name",
        "Last name",
        "Email",
        "Organisation",
        "Sector",
        "Job title or role",
        "Access needs",
        "Status",
        "Booked at",
        "Session",
        "Session date",
    ]
    assert row == [
        booking.reference,
        "Alex",
        "Smith",
        "alex.smith@coventry.gov.uk",
        "Coventry City Council",
        "Health",
        "Social worker",
        "Step-free access",
        "Confirmed",
        dt.datetime(2026, 7, 1, 13, 30),
        "Self-Initiated Terrorism",
        session.starts_at.astimezone(session.programme.tz).date(),
    ]


def test_booking_rows_read_every_booking_in_one_query(
    programme, make_session, attendee_details, django_assert_num_queries
):
    for day in range(3):
        session = make_session(title=f"Day {day}")
        for n in range(4):
            bookings.book_place(session_id=session.pk, attendee=attendee_details(f"p{n}@example.org"))

    with django_assert_num_queries(1):
        rows = list(exports.booking_rows(exports.bookings_of_programme(programme)))

    assert len(rows) == 1 + 12
    assert [row[10] for row in rows[1:]] == ["Day 0"] * 4 + ["Day 1"] * 4 + ["Day 2"] * 4


def test_booking_rows_include_cancelled_bookings_with_their_status(session, attendee_details):
    booking = bookings.book_place(session_id=session.pk, attendee=attendee_details())
    bookings.cancel_booking(booking_id=booking.pk)

    _, row = exports.booking_rows(exports.bookings_of_session(session))

    assert row[8] == "Cancelled"


def test_export_filename_names_the_programme_and_the_session(programme, make_session):
    session = make_session(
        title="From Investigation to Conviction!", starts_at=dt.datetime(2027, 1, 21, 10, tzinfo=programme.tz)
    )

    assert exports.export_filename(programme=programme, extension="xlsx") == "coventry-prevent-week-bookings.xlsx"
    assert (
        exports.export_filename(programme=programme, session=session, extension="csv")
        == "coventry-prevent-week-2027-01-21-from-investigation-to-conviction-bookings.csv"
    )
