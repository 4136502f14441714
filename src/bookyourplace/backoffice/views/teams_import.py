"""Import a Teams attendance report: upload it, see who would be marked, save.

The file is read in memory as it arrives and never stored: not on disk (the upload handler
below keeps it in memory and stops at the size limit), not in the database. Between the
preview and the save, the people it lists (name, email, time in the meeting, role) travel in
a signed hidden field and are matched again on saving."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from bookyourplace.attendance import teams_import as importing
from bookyourplace.attendance.teams_report import Participant, read_report, too_big
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import session_for, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm, whole_number_field
from bookyourplace.privacy.services import actor_for

SIGNING_SALT = "bookyourplace.backoffice.teams_import"
# Long enough to read the preview over a cup of tea; the file can be uploaded again after.
PREVIEW_MAX_AGE = 2 * 60 * 60


class InMemoryReportHandler(FileUploadHandler):
    """Keeps the uploaded report in memory, and stops reading it once it passes the limit:
    the file never touches the disk, and a huge one costs no more than the limit."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_big = False
        self.received = 0
        self.buffer: io.BytesIO | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # The limit is for the whole request: a second file counts on top of the first.
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_big = True
            self.buffer = None
            # Read and drop the rest of the request, so the browser gets the page that says so.
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class TeamsReportForm(GovukForm):
    report = forms.FileField(
        label=gettext_lazy("Teams attendance report"),
        help_text=gettext_lazy("The .csv file Teams downloads. It is read, not kept."),
        widget=forms.FileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv,text/plain"}),
        error_messages={
            "required": gettext_lazy("Choose the attendance report file"),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose the attendance report file"),
        },
    )
    threshold = whole_number_field(
        gettext_lazy("Attended means in the meeting for at least this percentage of the session"),
        help_text=gettext_lazy("People in the meeting for less are marked as partly attended."),
        min_value=1,
        max_value=100,
        width=3,
        required=gettext_lazy("Enter a threshold between 1 and 100 percent."),
        invalid=gettext_lazy("Enter the threshold as a whole number, like 75"),
        too_small=gettext_lazy("Enter a threshold between 1 and 100 percent."),
        too_big=gettext_lazy("Enter a threshold between 1 and 100 percent."),
    )


def _carry(session, report, threshold: int) -> str:
    """The preview's people, signed, for the save to match again (no file is kept)."""
    payload = {
        "session": session.pk,
        "threshold": threshold,
        "title": report.title[:200],
        "people": [[p.name, p.email, p.upn, p.role, p.seconds] for p in report.participants],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def _carried(session, value: str) -> dict:
    payload = signing.loads(value, salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
    if payload.get("session") != session.pk:
        raise signing.BadSignature("for another session")
    return payload


def _page(request, session, form, **context):
    return render(
        request,
        "backoffice/teams_import.html",
        {"session": session, "programme": session.programme, "form": form, **context},
    )


@csrf_exempt  # the upload handler must be in place before anything reads the request body...
@staff_required
def teams_import(request, session_id):
    session = session_for(request, session_id, edit=True)
    if request.method != "POST":
        form = TeamsReportForm(initial={"threshold": session.programme.attendance_threshold_percent})
        return _page(request, session, form)
    handler = InMemoryReportHandler(request, max_bytes=settings.BYP_TEAMS_REPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    return _preview(request, session, handler)


@csrf_protect  # ...and the CSRF check runs once it is.
def _preview(request, session, handler: InMemoryReportHandler):
    files = request.FILES  # reads the request through the handler (when the CSRF check has not)
    if handler.too_big:
        # Reading stopped at the file, so fields after it never arrived: the threshold goes
        # back to the programme's.
        data = request.POST.copy()
        data.setdefault("threshold", str(session.programme.attendance_threshold_percent))
        form = TeamsReportForm(data, {})
        form.is_valid()
        form.errors.pop("report", None)
        errors.add_to_form(form, too_big(settings.BYP_TEAMS_REPORT_MAX_BYTES))
        return _page(request, session, form)
    form = TeamsReportForm(request.POST, files)
    if not form.is_valid():
        return _page(request, session, form)
    threshold = form.cleaned_data["threshold"]
    try:
        report = read_report(
            form.cleaned_data["report"].read(),
            max_bytes=settings.BYP_TEAMS_REPORT_MAX_BYTES,
            meeting_date=importing.session_date(session),
        )
        importing.check_meeting_date(session=session, report=report)
        preview = importing.preview_import(
            session=session, participants=report.participants, threshold_percent=threshold
        )
    except DomainError as refusal:
        errors.add_to_form(form, refusal)
        return _page(request, session, form)
    return render(
        request,
        "backoffice/teams_import_preview.html",
        {
            "session": session,
            "programme": session.programme,
            "report": report,
            "preview": preview,
            "carried": _carry(session, report, threshold),
            "file_name": form.cleaned_data["report"].name,
        },
    )


@require_POST
@staff_required
def teams_import_save(request, session_id):
    session = session_for(request, session_id, edit=True)
    try:
        payload = _carried(session, request.POST.get("carried", ""))
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was changed. Upload the report again."))
        return redirect("backoffice:teams_import", session_id=session.pk)
    participants = [
        Participant(name=name, email=email, upn=upn, role=role, seconds=seconds)
        for name, email, upn, role, seconds in payload["people"]
    ]
    try:
        result = importing.save_import(
            session=session,
            participants=participants,
            threshold_percent=payload["threshold"],
            report_title=payload.get("title", ""),
            actor=actor_for(request),
        )
    except DomainError as refusal:
        errors.flash(request, refusal)
        return redirect("backoffice:teams_import", session_id=session.pk)
    messages.success(request, importing.result_message(result))
    return redirect(reverse("backoffice:attendance", kwargs={"session_id": session.pk}))
