"""Import a flyer: paste or upload it, check and correct the sessions found, create the draft.

Nothing is saved before "Create draft programme". Between the steps the flyer (its original
bytes and what the reader could not read) travels in the page as one signed, compressed
hidden field, so it cannot be changed on the way; the organiser's corrections travel as
ordinary form fields, one form of a formset per session found."""

import base64
import copy
import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from bookyourplace.accounts import permissions, programme_teams
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import organiser_for, programme_for, require, staff_required
from bookyourplace.backoffice.views.programmes import ProgrammeForm
from bookyourplace.backoffice.views.sessions import SessionForm
from bookyourplace.backoffice.views.teams_import import InMemoryReportHandler
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import DatePicker, GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import importing
from bookyourplace.programmes.errors import InvalidDraftSessions
from bookyourplace.programmes.flyers.checks import draft_warnings
from bookyourplace.programmes.flyers.draft import DraftSession, Flag, FlyerReading
from bookyourplace.programmes.flyers.reading import read_flyer
from bookyourplace.programmes.models import Organiser, Programme, ProgrammeSource, Session

SIGNING_SALT = "bookyourplace.backoffice.programme_import"
# Long enough to go through a long flyer row by row, with interruptions; after that the
# flyer is pasted or uploaded again.
PREVIEW_MAX_AGE = 4 * 60 * 60
PASTE_MAX_CHARS = 500_000
DEFAULT_PLACES = 50
NO_SESSIONS_IN_TEXT = gettext_lazy(
    "No sessions were found in the text. Check that it gives each session's date, time and title"
)
NO_SESSIONS_IN_FILE = gettext_lazy(
    "No sessions were found in the flyer. Check that it gives each session's date, time and title, "
    "or paste its text instead"
)

# What an uploaded flyer is kept and served as, by what the reader found it to be.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KEPT_AS = {"docx": DOCX, "pdf": "application/pdf", "html": "text/html", "text": "text/plain", "seed": "text/plain"}
ACCEPT = ".docx,.pdf,.html,.htm,.txt," + ",".join(sorted(set(KEPT_AS.values())))


def _too_big_message() -> str:
    return _("The selected file must be smaller than %(size)s") % {"size": _megabytes(settings.BYP_FLYER_MAX_BYTES)}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def like(field: forms.Field, **changes) -> forms.Field:
    """A field asked as another form asks it (its checks and messages), worded for this page."""
    field = copy.deepcopy(field)
    for name, value in changes.items():
        setattr(field, name, value)
    return field


# What a session's places and a programme's title must be, as the session and programme forms say.
PLACES = SessionForm.base_fields["capacity"]
PROGRAMME_TITLE = ProgrammeForm.base_fields["title"]


# --- Step 1: paste or upload --------------------------------------------------------------------


class OneOfTwo:
    """A field asked for as one of two (paste the text, or upload the file): not marked
    "(optional)", though it may be left empty; the form says when both are."""

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class PastedText(OneOfTwo, forms.CharField):
    pass


class FlyerFile(OneOfTwo, forms.FileField):
    pass


class FlyerForm(GovukForm):
    organiser = forms.ModelChoiceField(
        label=gettext_lazy("Organiser"),
        queryset=Organiser.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Select the organiser the programme belongs to"),
            "invalid_choice": gettext_lazy("Select an organiser from the list"),
        },
    )
    text = PastedText(
        label=gettext_lazy("Paste the flyer's text"),
        strip=False,  # kept as pasted
        max_length=PASTE_MAX_CHARS,
        help_text=gettext_lazy(
            "Open the flyer, select everything (Ctrl+A, or Cmd+A on a Mac), copy it and paste it here. "
            "An email with the programme works too."
        ),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={"max_length": gettext_lazy("The pasted text is too long: upload the flyer's file instead")},
    )
    flyer = FlyerFile(
        label=gettext_lazy("Or upload the flyer"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "empty": gettext_lazy("The selected file is empty"),
            "invalid": gettext_lazy("Choose the flyer's file again"),
        },
    )
    title = like(
        PROGRAMME_TITLE,
        label=gettext_lazy("Programme title"),
        required=False,
        help_text=gettext_lazy("Leave it empty to use the title on the flyer. You can change it on the next page."),
    )
    capacity = like(
        PLACES,
        label=gettext_lazy("Places on each session"),
        help_text=gettext_lazy("You can change the places of each session on the next page."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flyer"].help_text = _(
            "A Word document (.docx), a PDF, a web page (.html) or a text file (.txt), up to %(size)s."
        ) % {"size": _megabytes(settings.BYP_FLYER_MAX_BYTES)}
        organisers = permissions.organisers_for(user).order_by("name", "pk")
        self.fields["organiser"].queryset = organisers
        # Most people act for one organiser: nothing to choose.
        self.only_organiser = organisers.first() if len(organisers[:2]) == 1 else None
        if self.only_organiser is not None:
            del self.fields["organiser"]

    def clean(self):
        data = super().clean()
        text, flyer = (data.get("text") or "").strip(), data.get("flyer")
        if "text" in self.errors or "flyer" in self.errors:
            return data
        if not text and not flyer:
            self.add_error("text", _("Paste the flyer's text or choose its file"))
        elif text and flyer:
            self.add_error("text", _("Paste the text or choose a file, not both"))
        return data

    @property
    def chosen_organiser(self) -> Organiser:
        return self.only_organiser or self.cleaned_data["organiser"]

    def source(self) -> tuple[bytes, str, str]:
        """The flyer as it came: its bytes, file name and the type the browser gave."""
        flyer = self.cleaned_data["flyer"]
        if flyer:
            return flyer.read(), flyer.name, flyer.content_type or ""
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        return text.encode("utf-8"), importing.PASTED_FILE_NAME, importing.PASTED_CONTENT_TYPE


def _step_one(request, form):
    return render(request, "backoffice/programme_import.html", {"form": form})


@csrf_exempt  # the upload handler must be in place before anything reads the request body...
@staff_required
def programme_import(request):
    require(permissions.can_create_programmes(request.user))
    if request.method != "POST":
        return _step_one(
            request,
            FlyerForm(user=request.user, initial={"capacity": DEFAULT_PLACES, "organiser": organiser_for(request)}),
        )
    handler = InMemoryReportHandler(request, max_bytes=settings.BYP_FLYER_MAX_BYTES)
    request.upload_handlers = [handler]
    return _read(request, handler)


@csrf_protect  # ...and the CSRF check runs once it is.
def _read(request, handler: InMemoryReportHandler):
    files = request.FILES  # reads the request through the handler (when the CSRF check has not)
    if handler.too_big:
        # Reading stopped at the file, so the fields after it never arrived.
        data = request.POST.copy()
        data.setdefault("capacity", str(DEFAULT_PLACES))
        form = FlyerForm(data, {}, user=request.user)
        form.is_valid()
        form.errors.pop("text", None)
        form.add_error("flyer", _too_big_message())
        return _step_one(request, form)
    form = FlyerForm(request.POST, files, user=request.user)
    if not form.is_valid():
        return _step_one(request, form)
    content, file_name, content_type = form.source()
    field = "flyer" if form.cleaned_data["flyer"] else "text"
    try:
        reading = read_flyer(content, file_name=file_name, content_type=content_type, today=timezone.localdate())
    except DomainError as refusal:
        # A file that cannot be opened: said on the field it came from.
        errors.add_to_form(form, refusal, field_for={None: field})
        return _step_one(request, form)
    if not reading.sessions:
        form.add_error(field, NO_SESSIONS_IN_FILE if field == "flyer" else NO_SESSIONS_IN_TEXT)
        return _step_one(request, form)
    if field == "flyer":
        # Kept as what it turned out to be, whatever the browser called it.
        content_type = KEPT_AS.get(reading.source_kind, "application/octet-stream")
    carried = _carry(
        request,
        organiser=form.chosen_organiser,
        reading=reading,
        content=content,
        file_name=file_name,
        content_type=content_type,
    )
    title = form.cleaned_data["title"] or reading.title
    preview = PreviewForm(initial={"title": title}, carried=carried)
    sessions = DraftFormSet(
        prefix=ROWS_PREFIX,
        initial=[row_initial(session, form.cleaned_data["capacity"]) for session in reading.sessions],
    )
    return _preview_page(request, preview, sessions, carried, warnings=draft_warnings(reading.sessions))


# --- What travels between the steps --------------------------------------------------------------


def _flags(flags: list[Flag]) -> list[list]:
    return [[flag.line, flag.message, flag.text] for flag in flags]


def _carry(request, *, organiser, reading: FlyerReading, content: bytes, file_name: str, content_type: str) -> dict:
    """The flyer and what the preview shows of its reading, signed for the next step."""
    payload = {
        "user": request.user.pk,
        "organiser": organiser.pk,
        "organiser_name": organiser.name,
        "file_name": file_name,
        "content_type": content_type,
        "content": base64.b64encode(content).decode("ascii"),
        "flags": _flags(reading.flags),
        "row_flags": [_flags(session.flags) for session in reading.sessions],
        "needs_year": reading.needs_year,
        "years": sorted({s.date.year for s in reading.sessions if s.date and s.year_inferred}),
    }
    return {**payload, "signed": signing.dumps(payload, salt=SIGNING_SALT, compress=True)}


def _carried(request, value: str) -> dict:
    payload = signing.loads(value, salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
    if payload.get("user") != request.user.pk:
        raise signing.BadSignature("for someone else")
    return {**payload, "signed": value}


# --- Step 2: the preview -------------------------------------------------------------------------

ROWS_PREFIX = "sessions"
# A row's fields by the draft's name for them, where the two differ, and the other way.
DRAFT_NAMES = {"description": "description_html"}
ROW_NAMES = {draft: row for row, draft in DRAFT_NAMES.items()}
TIME_INPUT = {"type": "time"}
# Room in the table for a title to be read whole.
WIDE = forms.TextInput(attrs={"class": "byp-import-table__wide"})


class DraftRowForm(GovukForm):
    """One session found, as the organiser corrects it. Every field may be empty here: what a
    session must have is the import rule's to say (importing.draft_problems), row by row."""

    leave_out = forms.BooleanField(label=gettext_lazy("Leave out"), required=False)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter a real date")},
    )
    start = forms.TimeField(
        label=gettext_lazy("Start"),
        required=False,
        widget=forms.TimeInput(attrs=TIME_INPUT, format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Enter a start time like 09:30")},
    )
    end = forms.TimeField(
        label=gettext_lazy("End"),
        required=False,
        widget=forms.TimeInput(attrs=TIME_INPUT, format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Enter an end time like 15:00")},
    )
    title = forms.CharField(label=gettext_lazy("Title"), required=False, widget=WIDE)
    subtitle = forms.CharField(label=gettext_lazy("Subtitle"), required=False, widget=WIDE)
    delivery = forms.ChoiceField(
        label=gettext_lazy("Delivery"),
        required=False,
        choices=[("", gettext_lazy("Not stated")), *Session.Delivery.choices],
        error_messages={"invalid_choice": gettext_lazy("Select online or in person")},
    )
    platform = forms.CharField(label=gettext_lazy("Platform"), required=False)
    venue = forms.CharField(label=gettext_lazy("Venue"), required=False, widget=WIDE)
    room = forms.CharField(label=gettext_lazy("Room"), required=False)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = like(PLACES, label=gettext_lazy("Places"))
    # The year of the date was not on the flyer: the year question's answer replaces it.
    year_inferred = forms.BooleanField(required=False, widget=forms.HiddenInput)

    # The table's columns, in order (leave_out and the hidden field apart).
    COLUMNS = (
        "date",
        "start",
        "end",
        "title",
        "subtitle",
        "delivery",
        "platform",
        "venue",
        "room",
        "address",
        "description",
        "capacity",
    )

    @property
    def number(self) -> int:
        return int(self.prefix.rsplit("-", 1)[-1]) + 1

    @property
    def left_out(self) -> bool:
        return bool(self.cleaned_data.get("leave_out")) if hasattr(self, "cleaned_data") else False

    def draft(self) -> DraftSession:
        """The row as corrected; a field that could not be read as given is left empty."""
        given = {name: value for name, value in self.cleaned_data.items() if name in self.COLUMNS}
        given.pop("capacity", None)
        return DraftSession(**{DRAFT_NAMES.get(name, name): value for name, value in given.items()})

    def add_row_error(self, field: str, message: str) -> None:
        """A problem with this row, named by the row in the field's message as in the summary."""
        if field not in self.fields or field in self.errors:
            return
        self.add_error(field, importing.row_problem(self.number, self.cleaned_data.get("title", ""), message))

    def name_errors_by_row(self) -> None:
        """The form's own messages ("Enter a real date") say which row they are on, too."""
        title = self.data.get(self.add_prefix("title"), "")
        for field_messages in self.errors.values():
            field_messages[:] = [importing.row_problem(self.number, title, message) for message in field_messages]


DraftFormSet = forms.formset_factory(DraftRowForm, extra=0)


def row_initial(session: DraftSession, capacity: int) -> dict:
    initial = {
        name: getattr(session, DRAFT_NAMES.get(name, name)) for name in DraftRowForm.COLUMNS if name != "capacity"
    }
    return {**initial, "capacity": capacity, "year_inferred": session.year_inferred}


class PreviewForm(GovukForm):
    title = like(PROGRAMME_TITLE, label=gettext_lazy("Programme title"))
    year = forms.TypedChoiceField(
        label=gettext_lazy("Which year are the sessions in?"),
        help_text=gettext_lazy(
            "The flyer does not give the year of some dates, or their day of the week. "
            "Those dates are changed to the year you choose."
        ),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select the year the sessions are in"),
            "invalid_choice": gettext_lazy("Select the year the sessions are in"),
        },
    )

    def __init__(self, *args, carried: dict, **kwargs):
        super().__init__(*args, **kwargs)
        if carried["needs_year"]:
            this_year = timezone.localdate().year
            years = sorted({*carried["years"], this_year, this_year + 1})
            self.fields["year"].choices = [(year, str(year)) for year in years]
        else:
            del self.fields["year"]


class ErrorSummary:
    """The preview's error summary: the programme's fields, then each row's, in page order
    (core/includes/error_summary.html reads ``errors`` and ``error_summary``)."""

    def __init__(self, preview: PreviewForm, sessions):
        self.error_summary = list(preview.error_summary)
        for form in sessions:
            self.error_summary += form.error_summary
        self.errors = bool(self.error_summary)


def _with_year(data, carried: dict, year: int | None):
    """The posted rows with the year answered put into each date whose year was inferred."""
    if year is None:
        return data
    data = data.copy()
    for index in range(len(carried["row_flags"])):
        if data.get(f"{ROWS_PREFIX}-{index}-year_inferred") not in ("True", "true", "on", "1"):
            continue
        key = f"{ROWS_PREFIX}-{index}-date"
        try:
            day = dt.date.fromisoformat(data.get(key, ""))
            data[key] = day.replace(year=year).isoformat()
        except ValueError:
            pass  # not a date yet (its own error says so), or 29 February in another year: left as typed
    return data


@csrf_exempt  # the fields are read first (they hold the flyer: see _read_fields)...
@staff_required
def programme_import_preview(request):
    require(permissions.can_create_programmes(request.user))
    if request.method != "POST":
        return redirect("backoffice:programme_import")
    try:
        _read_fields(request)
    except RequestDataTooBig:
        return _start_again(request, _("The preview is too large to check. Upload the flyer again."))
    return _check_or_create(request)


def _start_again(request, message: str):
    messages.error(request, message)
    return redirect("backoffice:programme_import")


@csrf_protect  # ...and the CSRF check runs once they are.
def _check_or_create(request):
    posted = request.POST
    try:
        carried = _carried(request, posted.get("carried", ""))
    except signing.SignatureExpired:
        return _start_again(request, _("The preview has expired. Paste or upload the flyer again."))
    except signing.BadSignature:
        return _start_again(request, _("The preview was changed or is not complete. Paste or upload the flyer again."))
    organiser = permissions.organisers_for(request.user).filter(pk=carried["organiser"]).first()
    require(organiser is not None)
    preview = PreviewForm(posted, carried=carried)
    preview.is_valid()
    sessions = DraftFormSet(_with_year(posted, carried, preview.cleaned_data.get("year")), prefix=ROWS_PREFIX)
    sessions.is_valid()
    if sessions.non_form_errors() or sessions.total_form_count() != len(carried["row_flags"]):
        return _start_again(request, _("The preview was changed or is not complete. Paste or upload the flyer again."))
    kept = [form for form in sessions if not form.left_out]
    drafts = [form.draft() for form in kept]
    for form in sessions:
        form.name_errors_by_row()
    _check_rows(organiser, kept, drafts)
    if not kept:
        preview.add_error(None, _("Keep at least one session: every session is left out"))
    if posted.get("action") == "create" and preview.is_valid() and not any(f.errors for f in sessions):
        try:
            programme = programme_teams.import_programme_as(
                user=request.user,
                organiser=organiser,
                actor=actor_for(request),
                title=preview.cleaned_data["title"],
                sessions=drafts,
                capacity=[form.cleaned_data["capacity"] for form in kept],
                source_name=carried["file_name"],
                source_type=carried["content_type"],
                source_content=base64.b64decode(carried["content"]),
            )
        except InvalidDraftSessions as invalid:
            _add_row_problems(kept, invalid.rows)
        except DomainError as refusal:
            errors.add_to_form(preview, refusal)
        else:
            messages.success(request, _created_message(drafts))
            return redirect("backoffice:programme", programme_id=programme.pk)
    warnings = _warnings_by_row(sessions, kept, drafts)
    return _preview_page(request, preview, sessions, carried, warnings=warnings, checked=True)


def _check_rows(organiser: Organiser, kept: list[DraftRowForm], drafts: list[DraftSession]) -> None:
    """Each kept row's problems by the import rule, on its fields (the form's own first)."""
    programme = Programme(organiser=organiser)
    for form, draft in zip(kept, drafts, strict=True):
        # Places that are not a number have their own message already.
        places = form.cleaned_data.get("capacity") or 1
        problems = importing.draft_problems(draft, capacity=places, programme=programme)
        for field, field_messages in problems.items():
            form.add_row_error(ROW_NAMES.get(field, field), field_messages[0])


def _add_row_problems(kept: list[DraftRowForm], rows: dict[int, dict[str, list[str]]]) -> None:
    for index, problems in rows.items():
        for field, field_messages in problems.items():
            kept[index].add_row_error(ROW_NAMES.get(field, field), field_messages[0])


def _warnings_by_row(sessions, kept, drafts) -> list[list[str]]:
    """draft_warnings of the rows kept, in the places of the whole table (none for a row left out)."""
    found = dict(zip((form.number for form in kept), draft_warnings(drafts), strict=True))
    return [found.get(form.number, []) for form in sessions]


def _created_message(drafts: list[DraftSession]) -> str:
    count = len(drafts)
    if any(draft.delivery == Session.Delivery.ONLINE for draft in drafts):
        message = ngettext(
            "Draft programme created with %(count)d session. Check it, add its joining link, then publish.",
            "Draft programme created with %(count)d sessions. Check the sessions, add joining links for the "
            "online ones, then publish.",
            count,
        )
    else:
        message = ngettext(
            "Draft programme created with %(count)d session. Check it, then publish.",
            "Draft programme created with %(count)d sessions. Check the sessions, then publish.",
            count,
        )
    return message % {"count": count}


def line_not_read(line: int, message: str, text: str) -> str:
    """Line 14: “Refreshments provided” was not read: This line does not belong to any session."""
    if line and text:
        return _("Line %(line)d: “%(text)s” was not read: %(message)s") % {
            "line": line,
            "text": text,
            "message": message,
        }
    return session_flag(line, message, text)


def session_flag(line: int, message: str, text: str = "") -> str:
    """Line 16: No time was found for this session. (Shown on the session's own row.)"""
    if line:
        return _("Line %(line)d: %(message)s") % {"line": line, "message": message}
    return message


def _preview_page(request, preview, sessions, carried: dict, *, warnings: list[list[str]], checked: bool = False):
    rows = []
    for form, row_warnings, flags in zip(sessions, warnings, carried["row_flags"], strict=True):
        title = (form["title"].value() or "").strip()
        rows.append(
            {
                "form": form,
                "fields": [form[name] for name in DraftRowForm.COLUMNS],
                "title": title,
                # Each warning says which session it is about, read alone by a screen reader.
                "label": title or _("Session %(number)d") % {"number": form.number},
                "warnings": row_warnings,
                "flags": [session_flag(*flag) for flag in flags],
            }
        )
    return render(
        request,
        "backoffice/programme_import_preview.html",
        {
            "preview": preview,
            "sessions": sessions,
            "rows": rows,
            "columns": [DraftRowForm.base_fields[name].label for name in DraftRowForm.COLUMNS],
            "to_check": [row for row in rows if row["warnings"] or row["flags"] or row["form"].errors],
            "flags": [line_not_read(*flag) for flag in carried["flags"]],
            "carried": carried["signed"],
            "file_name": carried["file_name"],
            "pasted": carried["file_name"] == importing.PASTED_FILE_NAME,
            "organiser_name": carried["organiser_name"],
            "error_summary": ErrorSummary(preview, sessions),
            "checked": checked,
        },
    )


def _read_fields(request) -> None:
    """Read the posted fields with this page's own limit.

    The flyer rides in one of them, and a flyer may be larger than Django's limit for the
    fields of any form (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB): this page alone allows what its
    largest flyer needs, once signed and encoded. A form a browser posts is url-encoded; any
    other body is left to Django (and its own limit)."""
    if request.content_type != "application/x-www-form-urlencoded":
        return
    limit = settings.BYP_FLYER_MAX_BYTES * 2 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise RequestDataTooBig
    body = request.read(limit + 1)
    if len(body) > limit:
        raise RequestDataTooBig
    # Django parses the fields from the body read, rather than reading it again with its limit.
    request._body = body


# --- The original, kept with the programme -------------------------------------------------------


@staff_required
def programme_source(request, programme_id):
    """The flyer the programme was imported from, as it was uploaded (or the text pasted)."""
    programme = programme_for(request, programme_id)
    source = get_object_or_404(ProgrammeSource, programme=programme)
    response = HttpResponse(bytes(source.content), content_type=source.content_type)
    # Never shown in the browser (an HTML flyer is somebody else's page): always downloaded.
    response["Content-Disposition"] = content_disposition_header(True, source.file_name)
    return response
