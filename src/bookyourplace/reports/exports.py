"""Bookings exported as CSV or Excel for the organisers' own records and reports.

Rows are read from the database in chunks and written out as they come, so a programme with
tens of thousands of bookings exports in flat memory. Text that a spreadsheet would run as a
formula is neutralised on the way out: attendees type their own names and organisations.
"""

import csv
import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from itertools import batched
from typing import BinaryIO

from django.db.models import Min, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from bookyourplace.bookings.answers import as_date, shown
from bookyourplace.bookings.models import Answer, Booking, Sector
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Programme, Question, Session

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


def question_columns(bookings: QuerySet[Booking], asked: Iterable[Question] = ()) -> list[str]:
    """The organiser's questions as columns, one per question's wording: those ``asked`` now,
    in order, then the wording of any other answers these bookings hold (a question reworded
    or removed since), in the order first answered."""
    labels = list(dict.fromkeys(question.label for question in asked))
    answered = (
        Answer.objects.filter(booking__in=bookings.order_by().values("pk"))
        .order_by()
        .values("question_label")
        .annotate(first=Min("pk"))
        .order_by("first")
        .values_list("question_label", flat=True)
    )
    return labels + [label for label in answered if label not in labels]


def _answer_cells(booking_ids: Sequence[int]) -> dict[tuple[int, str], object]:
    """(booking, question's wording) -> the answer as a cell: a date as a date, several
    choices on one line."""
    cells: dict[tuple[int, str], object] = {}
    rows = Answer.objects.filter(booking_id__in=booking_ids).order_by("pk")
    for booking_id, label, kind, value in rows.values_list("booking_id", "question_label", "question_kind", "value"):
        if kind == Question.Kind.DATE and (day := as_date(value)) is not None:
            cells[(booking_id, label)] = day
        else:
            cells[(booking_id, label)] = shown(kind, value, separator="; ")
    return cells


def booking_rows(bookings: QuerySet[Booking], *, questions: Sequence[str] = ()) -> Iterator[list]:
    """The header, then one row per booking: text, with local dates and times as values, and
    a column for each of ``questions`` (question_columns) with the booking's answer.

    Plain values, not model instances, and labels looked up once per export: a hundred
    thousand bookings stream out in seconds, in flat memory (the answers read a chunk of
    bookings at a time).
    """
    yield [str(label) for label in HEADER] + list(questions)
    for chunk in batched(_fixed_rows(bookings), CHUNK_SIZE):
        answers = _answer_cells([booking_id for booking_id, _row in chunk]) if questions else {}
        for booking_id, row in chunk:
            yield row + [answers.get((booking_id, label), "") for label in questions]


def _fixed_rows(bookings: QuerySet[Booking]) -> Iterator[tuple[int, list]]:
    """(booking id, its fixed columns) for each booking."""
    sectors = {value: str(label) for value, label in Sector.choices}
    statuses = {value: str(label) for value, label in Booking.Status.choices}
    session_dates: dict[int, dt.date] = {}
    columns = (
        "pk",
        "reference",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "sector",
        "job_title",
        "access_needs",
        "status",
        "created_at",
        "session_id",
        "session__title",
        "session__starts_at",
        "session__programme__time_zone",
    )
    for row in bookings.values_list(*columns).iterator(chunk_size=CHUNK_SIZE):
        (
            booking_id,
            reference,
            first_name,
            last_name,
            email,
            organisation,
            sector,
            job_title,
            access_needs,
            status,
            created_at,
            session_id,
            session_title,
            starts_at,
            time_zone,
        ) = row
        tz = zoneinfo.ZoneInfo(time_zone)  # ZoneInfo keeps one instance per zone
        if session_id not in session_dates:
            session_dates[session_id] = starts_at.astimezone(tz).date()
        yield (
            booking_id,
            [
                reference,
                first_name,
                last_name,
                email,
                organisation,
                sectors.get(sector, sector),
                job_title,
                access_needs,
                statuses.get(status, status),
                created_at.astimezone(tz).replace(tzinfo=None, microsecond=0),
                session_title,
                session_dates[session_id],
            ],
        )


def neutralise(value: object) -> object:
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


CSV_PIECE_CHARACTERS = 64 * 1024


def csv_stream(rows: Iterable[list]) -> Iterator[str]:
    """CSV for a StreamingHttpResponse, starting with the byte order mark Excel needs to read
    UTF-8, in pieces of about 64 KB (one write to the network each, not one per line)."""
    writer = csv.writer(_Echo())
    piece, size = ["\ufeff"], 1
    for row in rows:
        line = writer.writerow([_csv_cell(value) for value in row])
        piece.append(line)
        size += len(line)
        if size >= CSV_PIECE_CHARACTERS:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters that a pasted form field can carry.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(rows: Iterable[list], *, file: BinaryIO, sheet_title: str = "") -> None:
    """An Excel workbook of the rows, the first in bold, written row by row (write-only mode)."""
    workbook = Workbook(write_only=True)
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or str(_("Bookings"))
    sheet = workbook.create_sheet(title=title)
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
