"""Who came: every confirmed booking's outcome (however it was marked), an organiser's
correction of any mark, and the email to the no-shows once the session has ended."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions
from bookyourplace.attendance import emails as no_show
from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Method, Outcome, WalkIn
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import session_for, staff_required
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for


class AttendanceForm(GovukForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Attendance"),
        choices=Outcome.choices,
        error_messages={
            "required": gettext_lazy("Select attended, partly attended or no-show"),
            "invalid_choice": gettext_lazy("Select attended, partly attended or no-show"),
        },
    )


@staff_required
@never_cache
def attendance_page(request, session_id):
    session = session_for(request, session_id)
    now = timezone.now()
    rows = attendance.session_outcomes(session, now=now)
    tally = Counter(row.outcome for row in rows)
    ended = session.ends_at <= now
    return render(
        request,
        "backoffice/attendance.html",
        {
            "session": session,
            "programme": session.programme,
            "rows": rows,
            "counts": {
                "booked": len(rows),
                "attended": tally[Outcome.ATTENDED],
                "partly_attended": tally[Outcome.PARTLY_ATTENDED],
                "no_show": tally[Outcome.NO_SHOW],
                "not_marked": tally[None],
            },
            "walk_ins": WalkIn.objects.filter(session=session),
            "outcomes": Outcome.choices,
            "ended": ended,
            "no_shows_to_email": no_show.no_shows_not_yet_emailed(session).count() if ended else 0,
            "no_show_emails_queued": no_show.no_show_emails_queued(session) if ended else 0,
            "can_edit": permissions.can_edit(request.user, programme=session.programme),
        },
    )


def _attendance_url(session_id: int, anchor: str = "") -> str:
    return reverse("backoffice:attendance", kwargs={"session_id": session_id}) + (f"#{anchor}" if anchor else "")


@staff_required
@require_POST
def set_attendance(request, session_id, booking_id):
    """An organiser's correction of one booking's mark, whatever made it."""
    session = session_for(request, session_id, edit=True)
    booking = get_object_or_404(Booking, pk=booking_id, session=session)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["outcome"][0])
        return redirect(_attendance_url(session.pk, f"booking-{booking.pk}"))
    current = attendance.Attendance.objects.filter(booking=booking).first()
    try:
        marked = attendance.mark(
            booking=booking,
            session=session,
            outcome=form.cleaned_data["outcome"],
            method=Method.BY_HAND,
            actor=actor_for(request),
            # The minutes a Teams report gave stay beside the corrected outcome: still true.
            minutes_present=current.minutes_present if current else None,
        )
    except DomainError as refusal:
        errors.flash(request, refusal)
    else:
        messages.success(
            request,
            _("%(name)s: %(outcome)s.") % {"name": booking.full_name, "outcome": marked.get_outcome_display()},
        )
    return redirect(_attendance_url(session.pk, f"booking-{booking.pk}"))


@staff_required
@require_POST
def no_show_emails(request, session_id):
    session = session_for(request, session_id, edit=True)
    try:
        queued = no_show.queue_no_show_emails(session=session, actor=actor_for(request))
    except DomainError as refusal:
        errors.flash(request, refusal)
    else:
        if queued:
            messages.success(
                request,
                ngettext(
                    "%(count)d person who did not come is being emailed.",
                    "%(count)d people who did not come are being emailed.",
                    queued,
                )
                % {"count": queued},
            )
        else:
            messages.info(request, _("Nobody to email: everyone who did not come has been emailed already."))
    return redirect(_attendance_url(session.pk))
