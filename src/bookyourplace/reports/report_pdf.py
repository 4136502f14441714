"""The whole report as a PDF to print or attach to a board paper: each section's headline
figures, its charts (the same SVG as on screen) and its tables, small numbers held back.

WeasyPrint draws it from HTML; nothing outside the page is fetched (the charts are inline SVG).
What it takes, for a programme of 50 sessions and 100,000 bookings (bench, scale phase): the
figures as for the page (about 0.6 s), then WeasyPrint's layout (about 0.9 s) and writing
(about 0.7 s) of 17 A4 pages with 12 charts: about 2.5 s in all. It grows with the number of
sessions in the report (longer tables and charts), not with the number of bookings.
"""

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import build_report
from bookyourplace.reports.report_exports import describe


def report_pdf(
    *, report_filter: ReportFilter, allowed: QuerySet[Programme], title: str, organiser: Organiser | None = None
) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    report = build_report(report_filter, allowed, suppress=True)
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "title": title,
            "organiser": organiser,
            "described": describe(report_filter, allowed),
            "printed_at": timezone.localtime(report.made_at),
        },
    )
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
