"""Bookings exported as CSV or Excel for the organisers' own records and reports.

Rows are read from the database in chunks and written out as they come, so a programme with
tens of thousands of bookings exports in flat memory. Text that a spreadsheet would run as a
formula is neutralised on the way out: attendees type their own names and organisations.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Programme, Session

HEADER = (
    _("Reference"),
    _("First name"),
    _("Last name"),
    _("Email"),
    _("Organisation"),
    _("Sector"),
    _("Job title or role"),
    _("Access needs"),
    _("Status"),
    _("Booked at"),
    _("Session"),
    _("Session date"),
)

# Spreadsheets treat a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CHUNK_SIZE = 2000


def bookings_of_session(session: Session) -> QuerySet[Booking]:
    return Booking.objects.filter(session=session).order_by("created_at", "id")


def bookings_of_programme(programme: Programme) -> QuerySet[Booking]:
    return Booking.objects.filter(session__programme=programme).order_by(
        "session__starts_at", "session_id", "created_at", "id"
    )


def booking_rows(bookings: QuerySet[Booking]) -> Iterator[list]:
    """The header, then one row per booking: text, with local dates and times as values."""
    yield [str(label) for label in HEADER]
    for booking in bookings.select_related("session__programme").iterator(chunk_size=CHUNK_SIZE):
        session = booking.session
        tz = session.programme.tz
        yield [
            booking.reference,
            booking.first_name,
            booking.last_name,
            booking.email,
            booking.organisation,
            str(booking.get_sector_display()),
            booking.job_title,
            booking.access_needs,
            str(booking.get_status_display()),
            booking.created_at.astimezone(tz).replace(tzinfo=None, microsecond=0),
            session.title,
            session.starts_at.astimezone(tz).date(),
        ]


def neutralise(value):
    """Text a spreadsheet would run as a formula, made plain text by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes one line at a time."""

    def write(self, line: str) -> str:
        return line


def csv_stream(rows: Iterable[list]) -> Iterator[str]:
    """CSV lines for a StreamingHttpResponse, starting with the byte order mark Excel needs to read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters that a pasted form field can carry.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(rows: Iterable[list], file: BinaryIO) -> None:
    """An Excel workbook of the rows, the first in bold, written row by row (write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Bookings")))
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        values = [_xlsx_value(value) for value in row]
        if number == 0:
            values = [_header_cell(sheet, value, bold) for value in values]
        sheet.append(values)
    workbook.save(file)


def _header_cell(sheet, value, font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def export_filename(*, programme: Programme, session: Session | None = None, extension: str) -> str:
    """'coventry-prevent-week-bookings.xlsx', or with the session's date and title for one session."""
    parts = [programme.slug]
    if session is not None:
        parts += [session.starts_at.astimezone(programme.tz).date().isoformat(), slugify(session.title)[:50]]
    return "-".join(parts + ["bookings"]) + f".{extension}"


def record_export(*, actor: Actor, programme: Programme, session: Session | None = None, file_format: str) -> None:
    what = f"'{session.title}' ({programme.title})" if session is not None else f"'{programme.title}'"
    record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        summary=f"Exported the bookings of {what} as {file_format.upper()}",
        subject=session if session is not None else programme,
        programme_id=programme.pk,
    )
