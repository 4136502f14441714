"""Coverage: the organisations of the area and which have had nobody trained; importing their
lists; the follow-up list to download.

Everyone on the staff sees coverage: it shows organisations and counts, never who was
trained. Importing a list changes what the whole council's coverage reads from, so it needs
someone who may create programmes (an administrator or an organiser), not a viewer."""

import datetime as dt
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import organiser_for, require, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import CheckboxField, DatePicker, GovukForm, whole_number_field
from bookyourplace.privacy.services import actor_for
from bookyourplace.reports import coverage as coverage_rules
from bookyourplace.reports import coverage_import as importing
from bookyourplace.reports import exports
from bookyourplace.reports.charts import Series, bar_chart
from bookyourplace.reports.models import Kind, Phase, Source

PER_PAGE = 100
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_IN_MEMORY_BYTES = 10 * 1024 * 1024
# The problems listed on the preview; the rest are counted.
PROBLEMS_SHOWN = 100


def _organiser(request):
    """The council whose area is shown: the person's own (a superuser may choose one)."""
    organisers = permissions.organisers_for(request.user).order_by("name", "pk")
    chosen = request.GET.get("organiser") or request.POST.get("organiser")
    if chosen and chosen.isdigit():
        organiser = organisers.filter(pk=int(chosen)).first()
        if organiser is not None:
            return organiser
    organiser = organiser_for(request)
    require(organiser is not None)
    return organiser


# --- The coverage page -------------------------------------------------------------------------------


class CoverageFilterForm(GovukForm):
    months = whole_number_field(
        gettext_lazy("In the last (months)"),
        help_text=gettext_lazy("Or give the first and last days below."),
        min_value=1,
        max_value=120,
        width=3,
        required=gettext_lazy("Enter a number of months"),
        invalid=gettext_lazy("Enter the number of months as a whole number, like 12"),
        too_small=gettext_lazy("Enter a number of months between 1 and 120"),
        too_big=gettext_lazy("Enter a number of months between 1 and 120"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the first day as a real date")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the last day as a real date")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *Kind.choices],
        error_messages={"invalid_choice": gettext_lazy("Select a kind from the list")},
    )
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Select a type from the list")},
    )
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"),
        required=False,
        choices=[("", gettext_lazy("All phases")), *Phase.choices],
        error_messages={"invalid_choice": gettext_lazy("Select a phase from the list")},
    )
    nobody_trained = CheckboxField(
        legend=gettext_lazy("Show"),
        label=gettext_lazy("Only organisations with nobody trained"),
        required=False,
    )

    def __init__(self, data, *, types: list[str]):
        data = data.copy()
        data.setdefault("months", str(coverage_rules.DEFAULT_MONTHS))
        super().__init__(data)
        self.fields["type"].choices = [("", _("All types")), *((t, t) for t in types)]

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if (first is None) != (last is None) and "date_from" not in self.errors and "date_to" not in self.errors:
            self.add_error("date_to" if first else "date_from", _("Give both the first and the last day, or neither"))
        elif first and last and first > last:
            self.add_error("date_to", _("The last day must be the same as or after the first day"))
        return data

    def period(self, *, today: dt.date) -> coverage_rules.Period:
        """The period asked for; a field with an error asks for nothing (the last 12 months)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("date_from") and data.get("date_to") and not self.errors.keys() & {"date_from", "date_to"}:
            return coverage_rules.Period(data["date_from"], data["date_to"])
        months = data.get("months") if "months" not in self.errors else None
        return coverage_rules.last_months(months or coverage_rules.DEFAULT_MONTHS, today=today)

    def wanted(self) -> coverage_rules.CoverageFilter:
        data = getattr(self, "cleaned_data", {})
        return coverage_rules.CoverageFilter(
            kind=data.get("kind") or "",
            type=data.get("type") or "",
            phase=data.get("phase") or "",
            nobody_trained=bool(data.get("nobody_trained")),
        )


def _asked(request, organiser, *, nobody_trained: bool = False):
    """The filter form and the coverage it asks for."""
    types = coverage_rules.area_types(organiser=organiser)
    form = CoverageFilterForm(request.GET, types=types)
    form.is_valid()
    wanted = form.wanted()
    if nobody_trained:
        wanted = coverage_rules.CoverageFilter(
            kind=wanted.kind, type=wanted.type, phase=wanted.phase, nobody_trained=True
        )
    period = form.period(today=timezone.localdate())
    return form, coverage_rules.coverage(organiser=organiser, period=period, wanted=wanted)


def _chart(result: coverage_rules.Coverage):
    if not result.summary:
        return None
    return bar_chart(
        title=_("Organisations with somebody and with nobody trained, by kind"),
        categories=[row.label for row in result.summary],
        series=[
            Series(_("Somebody trained"), [row.reached for row in result.summary]),
            Series(_("Nobody trained"), [row.nobody_trained for row in result.summary]),
        ],
        value_label=_("Organisations"),
        category_label=_("Kind"),
        horizontal=True,
        stacked=True,
    )


@staff_required
@require_safe
def coverage(request):
    organiser = _organiser(request)
    form, result = _asked(request, organiser)
    page = Paginator(result.organisations, PER_PAGE).get_page(request.GET.get("page"))
    rows = coverage_rules.with_domains(page.object_list, organiser=organiser)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/coverage.html",
        {
            "organiser": organiser,
            "organisers": permissions.organisers_for(request.user).order_by("name", "pk"),
            "form": form,
            "coverage": result,
            "chart": _chart(result),
            "page": page,
            "rows": rows,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
            "filtered": any(request.GET.get(name) for name in ("kind", "type", "phase", "nobody_trained")),
            "may_import": permissions.can_create_programmes(request.user),
        },
    )


# --- The follow-up list ----------------------------------------------------------------------------


@staff_required
@require_safe
@never_cache
def follow_up(request, file_format):
    organiser = _organiser(request)
    _form, result = _asked(request, organiser, nobody_trained=True)
    organisations = coverage_rules.with_domains(result.organisations, organiser=organiser)
    coverage_rules.record_follow_up_export(
        actor=actor_for(request), period=result.period, count=len(organisations), file_format=file_format
    )
    rows = coverage_rules.follow_up_rows(organisations)
    filename = coverage_rules.follow_up_filename(result.period, file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    workbook = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)
    exports.write_xlsx(rows, file=workbook, sheet_title=_("Nobody trained"))
    workbook.seek(0)
    return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- Importing a list --------------------------------------------------------------------------------


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Writes the upload to a temporary file, as Django does for big files, and stops reading
    once it passes the limit: a file too big costs no more than the limit."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_big = True
            self.file.close()
            # Read and drop the rest of the request, so the browser gets the page that says so.
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        if self.too_big:
            return None
        return super().file_complete(file_size)


class OrganisationListForm(GovukForm):
    source = forms.ChoiceField(
        label=gettext_lazy("What is the file?"),
        choices=[
            (Source.GIAS, gettext_lazy("Schools from Get Information About Schools (GIAS)")),
            (Source.LIST, gettext_lazy("A list of other organisations")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select what the file is"),
            "invalid_choice": gettext_lazy("Select what the file is"),
        },
    )
    file = forms.FileField(
        label=gettext_lazy("The file"),
        help_text=gettext_lazy("A .csv file. You will see what it would change before anything is saved."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": gettext_lazy("Choose the file to import"),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose the file to import"),
        },
    )


def _import_page(request, organiser, form):
    return render(request, "backoffice/coverage_import.html", {"organiser": organiser, "form": form})


@csrf_exempt  # the upload handler must be in place before anything reads the request body...
@staff_required
def coverage_import(request):
    require(permissions.can_create_programmes(request.user))
    if request.method != "POST":
        form = OrganisationListForm(initial={"source": Source.GIAS})
        return _import_page(request, _organiser(request), form)
    # Nothing may read the request body (its organiser field) before the handler is in place.
    handler = LimitedUploadHandler(request, max_bytes=settings.BYP_COVERAGE_IMPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    return _preview(request, handler)


@csrf_protect  # ...and the CSRF check runs once it is.
def _preview(request, handler: LimitedUploadHandler):
    files = request.FILES  # reads the request through the handler (when the CSRF check has not)
    organiser = _organiser(request)
    if handler.too_big:
        form = OrganisationListForm(request.POST, {})
        form.is_valid()
        form.errors.pop("file", None)
        errors.add_to_form(form, importing.too_big(settings.BYP_COVERAGE_IMPORT_MAX_BYTES))
        return _import_page(request, organiser, form)
    form = OrganisationListForm(request.POST, files)
    if not form.is_valid():
        return _import_page(request, organiser, form)
    upload = form.cleaned_data["file"]
    try:
        read = importing.read_organisations(
            upload.file, source=form.cleaned_data["source"], max_bytes=settings.BYP_COVERAGE_IMPORT_MAX_BYTES
        )
        plan = importing.plan_import(organiser=organiser, read=read)
    except DomainError as refusal:
        errors.add_to_form(form, refusal)
        return _import_page(request, organiser, form)
    finally:
        upload.close()
    pending = importing.keep_for_saving(organiser=organiser, read=read, file_name=upload.name, user=request.user)
    warnings = [*read.warnings, *plan.warnings]
    return render(
        request,
        "backoffice/coverage_import_preview.html",
        {
            "organiser": organiser,
            "pending": pending,
            "read": read,
            "plan": plan,
            "errors_shown": read.errors[:PROBLEMS_SHOWN],
            "errors_more": max(0, len(read.errors) - PROBLEMS_SHOWN),
            "warnings_shown": warnings[:PROBLEMS_SHOWN],
            "warnings_more": max(0, len(warnings) - PROBLEMS_SHOWN),
            "source_label": Source(read.source).label,
        },
    )


@require_POST
@staff_required
def coverage_import_save(request):
    require(permissions.can_create_programmes(request.user))
    organiser = _organiser(request)
    pk = request.POST.get("pending", "")
    pending = importing.pending_import(pk=int(pk), organiser=organiser, user=request.user) if pk.isdigit() else None
    if pending is None:
        messages.error(request, _("The preview has expired or was already saved. Upload the file again."))
        return redirect("backoffice:coverage_import")
    result = importing.save_import(pending=pending)
    messages.success(request, result.message())
    return redirect("backoffice:coverage")
