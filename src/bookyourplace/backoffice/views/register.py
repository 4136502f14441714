"""At the door: the sign-in sheet to print, and the live register on a phone or tablet (find a
name, tick them present or undo it, add a walk-in).

Every action is a plain form that works without JavaScript (post, then back to the register
at the same row and search); assets/js/register.js sends the ticks with fetch() instead, and
then these views answer JSON, so the page does not reload and the focus stays on the row.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions
from bookyourplace.attendance import services as attendance
from bookyourplace.attendance import sign_in_sheet as sheets
from bookyourplace.attendance.models import WalkIn
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import require, session_for, staff_required
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for

# The longest search kept: a name, not an essay.
SEARCH_LENGTH = 100


@staff_required
@never_cache
def sign_in_sheet(request, session_id, organiser_copy=False):
    session = session_for(request, session_id, edit=True)
    if organiser_copy:
        require(permissions.can_export_personal_data(request.user, programme=session.programme))
    try:
        blank_rows = int(request.GET.get("blank_rows", sheets.BLANK_ROWS))
    except ValueError:
        blank_rows = sheets.BLANK_ROWS
    sheet = sheets.download_sign_in_sheet(
        session=session, actor=actor_for(request), organiser_copy=organiser_copy, blank_rows=blank_rows
    )
    response = HttpResponse(sheet.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, sheet.filename)
    return response


class WalkInForm(GovukForm):
    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=100,
        error_messages={
            "required": gettext_lazy("Enter the walk-in's first name"),
            "max_length": gettext_lazy("First name must be 100 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=100,
        error_messages={
            "required": gettext_lazy("Enter the walk-in's last name"),
            "max_length": gettext_lazy("Last name must be 100 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"),
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("Organisation must be 200 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.org"),
            "max_length": gettext_lazy("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _search(request) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return " ".join(source.get("q", "").split())[:SEARCH_LENGTH]


def register_url(session_id: int, *, search: str = "", anchor: str = "") -> str:
    """The register, keeping the search the person had and scrolled to the row they changed."""
    url = reverse("backoffice:register", kwargs={"session_id": session_id})
    if search:
        url += "?" + urlencode({"q": search})
    return url + (f"#{anchor}" if anchor else "")


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _render_register(request, session, *, walk_in_form=None, status=200):
    search = _search(request) if request.method == "GET" else ""
    can_edit = permissions.can_edit(request.user, programme=session.programme)
    rows = attendance.session_outcomes(session, search=search)
    return render(
        request,
        "backoffice/register.html",
        {
            "session": session,
            "programme": session.programme,
            "rows": rows,
            "search": search,
            "counts": attendance.register_counts(session),
            "walk_ins": WalkIn.objects.filter(session=session),
            "can_tick": can_edit and not session.is_cancelled,
            "walk_in_form": walk_in_form or WalkInForm(),
            "form": walk_in_form,  # for the page title's "Error:" and the error summary
        },
        status=status,
    )


@staff_required
@never_cache
def live_register(request, session_id):
    session = session_for(request, session_id)
    return _render_register(request, session)


def _counts_json(counts: attendance.RegisterCounts) -> dict:
    return {
        "expected": counts.expected,
        "checked_in": counts.checked_in,
        "walk_ins": counts.walk_ins,
        "present": counts.present,
    }


@staff_required
@require_POST
def tick(request, session_id):
    """One tap: tick someone present ("present") or take the tick back ("undo")."""
    session = session_for(request, session_id, edit=True)
    search = _search(request)
    action = request.POST.get("action")
    booking_id = request.POST.get("booking", "")
    booking = (
        Booking.objects.select_related("session").filter(pk=int(booking_id)).first() if booking_id.isdigit() else None
    )
    if booking is None or action not in ("present", "undo"):
        message = _("Choose a person on the register to tick.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect(register_url(session.pk, search=search))
    actor = actor_for(request)
    try:
        if action == "present":
            record = attendance.check_in(booking=booking, session=session, actor=actor).attendance
        else:
            attendance.undo_check_in(booking=booking, session=session, actor=actor)
            record = None
    except DomainError as refusal:
        if _wants_json(request):
            return JsonResponse({"error": str(refusal.message)}, status=409)
        errors.flash(request, refusal)
        return redirect(register_url(session.pk, search=search, anchor=f"booking-{booking.pk}"))
    if record is not None:
        said = _("%(name)s checked in.") % {"name": booking.full_name}
    else:
        said = _("%(name)s is no longer ticked present.") % {"name": booking.full_name}
    if not _wants_json(request):
        messages.success(request, said)
        return redirect(register_url(session.pk, search=search, anchor=f"booking-{booking.pk}"))
    row = attendance.BookingOutcome(booking, record, record.outcome if record else None)
    counts = attendance.register_counts(session)
    return JsonResponse(
        {
            "present": row.checked_in,
            "state_html": render_to_string(
                "backoffice/register.html#row_state", {"row": row, "programme": session.programme}
            ),
            "button": render_to_string(
                "backoffice/register.html#button_label", {"row": row, "programme": session.programme}
            ).strip(),
            "action": "undo" if row.checked_in else "present",
            "announcement": _("%(said)s %(checked_in)d of %(expected)d checked in.")
            % {"said": said, "checked_in": counts.checked_in, "expected": counts.expected},
            "counts": _counts_json(counts),
        }
    )


@staff_required
@require_POST
def add_walk_in(request, session_id):
    session = session_for(request, session_id, edit=True)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            walk_in = attendance.add_walk_in(session=session, actor=actor_for(request), **form.cleaned_data)
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("%(name)s added as a walk-in.") % {"name": walk_in.full_name})
            return redirect(register_url(session.pk, anchor="walk-ins"))
    return _render_register(request, session, walk_in_form=form)


@staff_required
@require_POST
def remove_walk_in(request, session_id, walk_in_id):
    session = session_for(request, session_id, edit=True)
    walk_in = get_object_or_404(WalkIn.objects.select_related("session"), pk=walk_in_id, session=session)
    attendance.remove_walk_in(walk_in=walk_in, actor=actor_for(request))
    messages.success(request, _("%(name)s removed from the walk-ins.") % {"name": walk_in.full_name})
    return redirect(register_url(session.pk, anchor="walk-ins"))
