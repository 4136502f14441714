"""Checking people in at the door with the code on their manage page or confirmation email.

Three ways in: the scanner page reads the QR code with the browser's camera, or takes the
booking reference typed in; and a phone's own camera app opens the URL in the code, which
shows the attendee and one button. All three ask ``check_in_at_the_door``, so the same
people may check in the same bookings, and are told the same things.
"""

import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bookyourplace.accounts import permissions
from bookyourplace.attendance import errors as attendance_errors
from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method
from bookyourplace.backoffice.access import require, session_for, staff_required
from bookyourplace.bookings import check_in
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.formatting import clock, session_date
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Session

CHECKED_IN, ALREADY, REFUSED = "checked_in", "already", "refused"
# The session whose scanner page this person opened last: a code opened with the phone's own
# camera app is checked against it, so a code for another session is refused there too.
DOOR_KEY = "check_in_door_session"
NOT_A_CODE = gettext_lazy("Not a Book Your Place check-in code")
NOT_VALID = gettext_lazy("This check-in code is not valid")
CANCELLED = gettext_lazy("This booking was cancelled")


@dataclass(frozen=True)
class DoorAnswer:
    """What the organiser at the door is told, in one sentence."""

    outcome: str  # CHECKED_IN, ALREADY or REFUSED
    message: str


def check_in_at_the_door(request, booking: Booking, session: Session, *, method: str = Method.QR_CODE) -> DoorAnswer:
    """Check this booking's attendee in to ``session``: the one rule behind every way in.

    Only someone who may change the session's programme checks anyone in (403 otherwise);
    only a confirmed booking of this very session is checked in (attendance.services says no
    to the rest). A second scan changes nothing and says when they came."""
    require(permissions.can_edit(request.user, programme=session.programme))
    if booking.session_id != session.pk:
        return DoorAnswer(REFUSED, _another_session(request, booking))
    try:
        result = attendance.check_in(booking=booking, session=session, actor=actor_for(request), method=method)
    except attendance_errors.WrongSession:
        return DoorAnswer(REFUSED, _another_session(request, booking))
    except attendance_errors.NotConfirmed as refusal:
        return DoorAnswer(REFUSED, str(CANCELLED if booking.is_cancelled else refusal.message))
    except DomainError as refusal:
        return DoorAnswer(REFUSED, str(refusal.message))
    if result.already:
        return DoorAnswer(ALREADY, _already(result.attendance, session))
    return DoorAnswer(
        CHECKED_IN,
        _("Checked in: %(name)s (%(organisation)s)")
        % {"name": booking.full_name, "organisation": booking.organisation},
    )


def _already(attendance_mark: Attendance, session: Session) -> str:
    moment = attendance_mark.checked_in_at or attendance_mark.marked_at
    return _("Already checked in at %(time)s") % {"time": clock(moment, session.programme.tz)}


def _another_session(request, booking: Booking) -> str:
    other = booking.session
    # Its title and date only to someone who may see that programme anyway.
    if not permissions.can_view(request.user, programme=other.programme):
        return _("This code is for another session.")
    return _("This code is for another session: %(title)s, %(date)s") % {
        "title": other.title,
        "date": session_date(other.starts_at, other.programme.tz),
    }


def _door_state(booking: Booking) -> DoorAnswer | None:
    """What checking in to the booking's own session would say now, without checking in (a
    GET changes nothing): None when the button may be offered."""
    if booking.is_cancelled:
        return DoorAnswer(REFUSED, str(CANCELLED))
    if not booking.is_confirmed:
        return DoorAnswer(REFUSED, str(attendance_errors.NotConfirmed.message))
    mark = Attendance.objects.filter(booking=booking).first()
    if mark is not None and mark.came and mark.checked_in_at is not None:
        return DoorAnswer(ALREADY, _already(mark, booking.session))
    return None


# --- The scanner page ---------------------------------------------------------------------

_REFERENCE = re.compile(r"BYP-[0-9A-Z]{5}")


class ReferenceForm(GovukForm):
    reference = forms.CharField(
        label=gettext_lazy("Or type the booking reference"),
        help_text=gettext_lazy("It is on the attendee's confirmation email and booking page, for example BYP-7K2MQ."),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter the booking reference, for example BYP-7K2MQ")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_reference(self):
        reference = check_in.normalise_reference(self.cleaned_data["reference"])
        if not _REFERENCE.fullmatch(reference):
            raise forms.ValidationError(_("Enter a booking reference like BYP-7K2MQ: BYP and five letters or numbers"))
        return reference


def _counts(session: Session) -> dict:
    counts = attendance.register_counts(session)
    return {
        "checked_in": counts.checked_in,
        "expected": counts.expected,
        "text": _("%(checked_in)d of %(expected)d checked in")
        % {"checked_in": counts.checked_in, "expected": counts.expected},
    }


def _scan_page(request, session: Session, form: ReferenceForm):
    return render(
        request,
        "backoffice/scan.html",
        {"session": session, "programme": session.programme, "form": form, "counts": _counts(session)},
    )


@staff_required
def scan(request, session_id):
    session = session_for(request, session_id, edit=True)
    request.session[DOOR_KEY] = session.pk
    return _scan_page(request, session, ReferenceForm())


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@staff_required
@require_POST
def scan_check_in(request, session_id):
    """A code the scanner read (``code``: the URL in it, or the bare token) or a reference
    typed in (``reference``): JSON for the page's script, a redirect and a message for the
    plain form."""
    session = session_for(request, session_id, edit=True)
    if request.POST.get("code", "").strip():
        booking = check_in.find_booking_by_check_in_code(request.POST["code"])
        answer = check_in_at_the_door(request, booking, session) if booking else DoorAnswer(REFUSED, str(NOT_A_CODE))
    else:
        form = ReferenceForm(request.POST)
        if not form.is_valid():
            if _wants_json(request):
                return JsonResponse(
                    {"outcome": REFUSED, "message": form.errors["reference"][0], **_json_counts(session)}
                )
            return _scan_page(request, session, form)
        reference = form.cleaned_data["reference"]
        booking = Booking.objects.select_related("session__programme").filter(reference=reference).first()
        if booking is None:
            answer = DoorAnswer(REFUSED, _("No booking has the reference %(reference)s") % {"reference": reference})
        else:
            answer = check_in_at_the_door(request, booking, session, method=Method.REGISTER)
    if _wants_json(request):
        return JsonResponse({"outcome": answer.outcome, "message": answer.message, **_json_counts(session)})
    _flash(request, answer)
    return redirect("backoffice:scan", session_id=session.pk)


def _flash(request, answer: DoorAnswer) -> None:
    level = {CHECKED_IN: messages.SUCCESS, ALREADY: messages.INFO}.get(answer.outcome, messages.ERROR)
    messages.add_message(request, level, answer.message)


def _json_counts(session: Session) -> dict:
    return {"counts": _counts(session)}


# --- The page a phone's own camera app opens --------------------------------------------


def _invalid_code(request):
    return render(request, "backoffice/check_in_refused.html", {"heading": NOT_VALID}, status=404)


def _door_session(request, booking: Booking) -> Session:
    """The session this code is checked against: the one whose scanner page this person
    opened last, if they still may check people in there; otherwise the booking's own."""
    door_id = request.session.get(DOOR_KEY)
    if door_id and door_id != booking.session_id:
        door = (
            Session.objects.select_related("programme__organiser")
            .filter(pk=door_id, programme__in=permissions.programmes_for(request.user))
            .first()
        )
        if door is not None and permissions.can_edit(request.user, programme=door.programme):
            return door
    return booking.session


def _not_today(session: Session) -> bool:
    tz = session.programme.tz
    return session.starts_at.astimezone(tz).date() != timezone.now().astimezone(tz).date()


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_by_link(request, token):
    """GET shows who the code belongs to and one button; only the POST checks in (link
    previews and scanners open links, and must change nothing)."""
    booking = check_in.find_booking_by_check_in_token(token)
    if booking is None or not permissions.can_view(request.user, programme=booking.session.programme):
        return _invalid_code(request)
    if not permissions.can_edit(request.user, programme=booking.session.programme):
        return render(
            request,
            "backoffice/check_in_refused.html",
            {
                "heading": _("You cannot check people in"),
                "explanation": _(
                    "Only the organisers of this programme can check people in. Ask one of them, or an administrator."
                ),
            },
            status=403,
        )
    session = _door_session(request, booking)
    if request.method == "POST":
        answer = check_in_at_the_door(request, booking, session)
        _flash(request, answer)
        return redirect(reverse("backoffice:check_in", kwargs={"token": token}))
    state = (
        DoorAnswer(REFUSED, _another_session(request, booking))
        if booking.session_id != session.pk
        else _door_state(booking)
    )
    # Just pressed: the answer is on the page already, in its banner.
    answered = len(messages.get_messages(request)) > 0
    return render(
        request,
        "backoffice/check_in.html",
        {
            "booking": booking,
            "session": booking.session,
            "programme": booking.session.programme,
            "door": session,
            "state": None if answered else state,
            "can_check_in": state is None,
            "not_today": _not_today(booking.session),
        },
    )
