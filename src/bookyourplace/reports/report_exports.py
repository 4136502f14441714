"""A report's tables as CSV or Excel, and what is written in the audit log when one is taken away.

Tables hold organisations, sectors and counts, never people, so viewers may download them
too; small numbers are always held back in a download (it can be forwarded anywhere).
Cells are written through reports/exports.py, which neutralises anything a spreadsheet would
run as a formula (organisation names are typed by attendees).
"""

from collections.abc import Iterator
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookyourplace.bookings.models import Sector
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.reports.exports import csv_stream, write_xlsx
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.tables import Table

EXPORTED = "reports.exported"


def describe(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> list[str]:
    """The filter in words, one line per part: "Programmes: Coventry Prevent Week", "From 1 Jan
    2026 to 31 Mar 2026", "Sector: Schools"... (empty: everything the reader may see)."""
    lines = []
    if report_filter.programme_ids:
        titles = allowed.filter(pk__in=report_filter.programme_ids).order_by("title").values_list("title", flat=True)
        lines.append(_("Programmes: %(titles)s") % {"titles": ", ".join(titles)})
    if report_filter.session_id is not None:
        session = (
            Session.objects.filter(pk=report_filter.session_id, programme__in=allowed.values("pk"))
            .values_list("title", flat=True)
            .first()
        )
        if session:
            lines.append(_("Session: %(title)s") % {"title": session})
    if report_filter.date_from and report_filter.date_to:
        lines.append(
            _("From %(first)s to %(last)s")
            % {"first": _long_date(report_filter.date_from), "last": _long_date(report_filter.date_to)}
        )
    elif report_filter.date_from:
        lines.append(_("From %(first)s") % {"first": _long_date(report_filter.date_from)})
    elif report_filter.date_to:
        lines.append(_("Up to %(last)s") % {"last": _long_date(report_filter.date_to)})
    if report_filter.sector:
        lines.append(_("Sector: %(sector)s") % {"sector": dict(Sector.choices).get(report_filter.sector, "")})
    if report_filter.organisation:
        lines.append(_("Organisation name containing “%(text)s”") % {"text": report_filter.organisation})
    if report_filter.delivery:
        lines.append(
            _("Delivery: %(delivery)s") % {"delivery": dict(Session.Delivery.choices).get(report_filter.delivery, "")}
        )
    return lines


def _long_date(day) -> str:
    return date_format(day, "j F Y")


def filename(name: str, extension: str) -> str:
    """'report-attendance-by-sector.csv', 'report.pdf'."""
    return f"report-{name}.{extension}" if name else f"report.{extension}"


def table_csv(table: Table) -> Iterator[str]:
    return csv_stream(table.export_rows())


def table_xlsx(table: Table, *, file: BinaryIO) -> None:
    write_xlsx(table.export_rows(), file=file, sheet_title=table.title)


def record_report_export(
    *, actor: Actor, report_filter: ReportFilter, allowed: QuerySet[Programme], what: str, file_format: str
) -> None:
    """'Downloaded the report table "Attendance by sector" as CSV (Sector: Schools)', against the
    programme when the report is about one."""
    described = describe(report_filter, allowed)
    programme_id = report_filter.programme_ids[0] if len(report_filter.programme_ids) == 1 else None
    record(
        actor=actor,
        action=EXPORTED,
        summary=f"Downloaded {what} as {file_format.upper()}" + (f" ({'; '.join(described)})" if described else ""),
        programme_id=programme_id,
    )
