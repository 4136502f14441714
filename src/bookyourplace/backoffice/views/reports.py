"""Reports in the back office: across programmes and years or for one programme, filtered; each
table as CSV or Excel, the whole report as a PDF; and the Prevent evaluation summary.

Everyone on the staff may see and download reports of the programmes they may see: they hold
counts, sectors and organisations, never people. Small numbers are held back in every
download and print, on the evaluation summary (written to be pasted into a board paper), and
on screen for viewers; organisers and administrators see exact figures on screen.
"""

import tempfile
from urllib.parse import urlencode

from django import forms
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bookyourplace.accounts import permissions
from bookyourplace.accounts.models import Role
from bookyourplace.backoffice.access import programme_for, staff_required
from bookyourplace.bookings.models import Sector
from bookyourplace.core.forms import DatePicker, GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.reports import report_exports
from bookyourplace.reports.evaluation import prevent_summary
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import (
    build_report,
    comment_count,
    prevent_summary_sentences,
    prevent_summary_table,
)
from bookyourplace.reports.report_pdf import report_pdf as make_report_pdf

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportFilterForm(GovukForm):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        help_text=gettext_lazy("Sessions starting on or after this day."),
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the first day as a real date")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        help_text=gettext_lazy("Sessions starting on or before this day."),
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the last day as a real date")},
    )
    programme = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Programmes"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Select programmes from the list")},
    )
    session = forms.TypedChoiceField(
        label=gettext_lazy("Session"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Select a session from the list")},
    )
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        choices=[("", gettext_lazy("All sectors")), *Sector.choices],
        error_messages={"invalid_choice": gettext_lazy("Select a sector from the list")},
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("All or part of its name."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": gettext_lazy("Enter 200 characters or fewer")},
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("Delivery"),
        required=False,
        choices=[("", gettext_lazy("Online and in person")), *Session.Delivery.choices],
        error_messages={"invalid_choice": gettext_lazy("Select online or in person")},
    )

    def __init__(self, data, *, programmes: list[Programme] | None, sessions: list[Session], fixed_programme=None):
        super().__init__(data)
        self.fixed_programme = fixed_programme
        if programmes is None:
            del self.fields["programme"]
        else:
            self.fields["programme"].choices = [(p.pk, p.title) for p in programmes]
        if sessions:
            self.fields["session"].choices = [("", _("All sessions"))] + [
                (s.pk, f"{s.starts_at.astimezone(s.programme.tz):%d/%m/%Y}: {s.title}") for s in sessions
            ]
        else:
            del self.fields["session"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The last day must be the same as or after the first day"))
        return data

    def report_filter(self) -> ReportFilter:
        """The filter asked for; a field with an error filters nothing."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}

        def good(name):
            return data.get(name) if name in self.fields and name not in self.errors else None

        if self.fixed_programme is not None:
            programme_ids = (self.fixed_programme.pk,)
        else:
            programme_ids = tuple(sorted(good("programme") or ()))
        return ReportFilter(
            date_from=good("date_from"),
            date_to=good("date_to"),
            programme_ids=programme_ids,
            session_id=good("session"),
            sector=good("sector") or "",
            organisation=(good("organisation") or "").strip(),
            delivery=good("delivery") or "",
        )

    @property
    def programme_field(self):
        return self["programme"] if "programme" in self.fields else None

    @property
    def session_field(self):
        return self["session"] if "session" in self.fields else None


def query_of(report_filter: ReportFilter) -> str:
    """The filter as a query string, for links that keep it (downloads, the PDF)."""
    pairs = []
    if report_filter.date_from:
        pairs.append(("date_from", report_filter.date_from.isoformat()))
    if report_filter.date_to:
        pairs.append(("date_to", report_filter.date_to.isoformat()))
    pairs += [("programme", pk) for pk in report_filter.programme_ids]
    if report_filter.session_id is not None:
        pairs.append(("session", report_filter.session_id))
    for name in ("sector", "organisation", "delivery"):
        if getattr(report_filter, name):
            pairs.append((name, getattr(report_filter, name)))
    return urlencode(pairs)


def _chosen_programmes(request, allowed) -> list[int]:
    ids = []
    for value in request.GET.getlist("programme"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return list(allowed.filter(pk__in=ids).values_list("pk", flat=True))


def _sessions_of(programme_ids: list[int]) -> list[Session]:
    """The sessions to choose from: only when the report is about one programme."""
    if len(programme_ids) != 1:
        return []
    return list(
        Session.objects.filter(programme_id=programme_ids[0], status=Session.Status.SCHEDULED)
        .select_related("programme")
        .order_by("starts_at", "pk")
    )


def _form(request, allowed, programme: Programme | None = None) -> ReportFilterForm:
    if programme is not None:
        form = ReportFilterForm(
            request.GET, programmes=None, sessions=_sessions_of([programme.pk]), fixed_programme=programme
        )
    else:
        form = ReportFilterForm(
            request.GET,
            programmes=list(allowed.order_by("title", "pk")),
            sessions=_sessions_of(_chosen_programmes(request, allowed)),
        )
    form.is_valid()
    return form


def _exact_on_screen(user) -> bool:
    return permissions.role_of(user) in (Role.ADMINISTRATOR, Role.ORGANISER)


def _report_page(request, *, programme: Programme | None):
    allowed = permissions.programmes_for(request.user)
    form = _form(request, allowed, programme)
    report_filter = form.report_filter()
    suppress = not _exact_on_screen(request.user)
    report = build_report(report_filter, allowed, suppress=suppress)
    return render(
        request,
        "backoffice/reports.html",
        {
            "programme": programme,
            "form": form,
            "report": report,
            "query": query_of(report_filter),
            "described": report_exports.describe(report_filter, allowed),
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )


@staff_required
@require_safe
def reports(request):
    return _report_page(request, programme=None)


@staff_required
@require_safe
def programme_report(request, programme_id):
    return _report_page(request, programme=programme_for(request, programme_id))


@staff_required
@require_safe
@never_cache
def report_table(request, table, file_format):
    allowed = permissions.programmes_for(request.user)
    report_filter = _form(request, allowed).report_filter()
    found = build_report(report_filter, allowed, suppress=True).table(table)
    if found is None:
        raise Http404
    report_exports.record_report_export(
        actor=actor_for(request),
        report_filter=report_filter,
        allowed=allowed,
        what=f"the report table '{found.title}'",
        file_format=file_format,
    )
    name = report_exports.filename(table, file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(report_exports.table_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    workbook = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)
    report_exports.table_xlsx(found, file=workbook)
    workbook.seek(0)
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@staff_required
@require_safe
@never_cache
def reports_pdf(request):
    allowed = permissions.programmes_for(request.user)
    report_filter = _form(request, allowed).report_filter()
    programme = None
    if len(report_filter.programme_ids) == 1:
        programme = allowed.select_related("organiser").filter(pk=report_filter.programme_ids[0]).first()
    title = _("Report: %(programme)s") % {"programme": programme.title} if programme else _("Report")
    organisers = permissions.organisers_for(request.user)
    content = make_report_pdf(
        report_filter=report_filter,
        allowed=allowed,
        title=title,
        organiser=programme.organiser if programme else organisers.first() if organisers.count() == 1 else None,
    )
    report_exports.record_report_export(
        actor=actor_for(request), report_filter=report_filter, allowed=allowed, what="the report", file_format="pdf"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, report_exports.filename(programme.slug if programme else "", "pdf")
    )
    return response


@staff_required
@require_safe
def evaluation_summary(request):
    allowed = permissions.programmes_for(request.user)
    form = _form(request, allowed)
    report_filter = form.report_filter()
    summary = prevent_summary(report_filter, allowed)
    return render(
        request,
        "backoffice/reports_evaluation.html",
        {
            "form": form,
            "summary": summary,
            "table": prevent_summary_table(summary),
            "sentences": prevent_summary_sentences(summary),
            "comments": [(comment, comment_count(comment.count)) for comment in summary.common_comments],
            "described": report_exports.describe(report_filter, allowed),
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )
