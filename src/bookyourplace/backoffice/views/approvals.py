"""Approvals: the bookings waiting for an organiser's decision; approve or reject them."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import session_for, staff_required
from bookyourplace.bookings import approvals
from bookyourplace.bookings.models import Booking
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for


@staff_required
def approvals_list(request, session_id):
    session = session_for(request, session_id)
    pending = session.bookings.filter(status=Booking.Status.PENDING).order_by("created_at", "pk")
    return render(
        request,
        "backoffice/approvals.html",
        {
            "session": session,
            "programme": session.programme,
            "pending": pending,
            "can_edit": permissions.can_edit(request.user, programme=session.programme),
            "form": RejectForm(),
        },
    )


class RejectForm(GovukForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for not approving"),
        help_text=gettext_lazy("Sent to the people you do not approve."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the reason for not approving, so people know why")},
    )


@staff_required
@require_POST
def decide(request, session_id):
    """Approve or reject the ticked pending bookings (one or many)."""
    session = session_for(request, session_id, edit=True)
    chosen = session.bookings.filter(status=Booking.Status.PENDING, pk__in=request.POST.getlist("booking"))
    if not chosen:
        messages.error(request, _("Select at least one booking"))
        return redirect("backoffice:approvals", session_id=session.pk)
    ids = list(chosen.values_list("pk", flat=True))
    if request.POST.get("decision") == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["reason"][0])
            return redirect("backoffice:approvals", session_id=session.pk)
        done = approvals.reject_bookings(booking_ids=ids, reason=form.cleaned_data["reason"], actor=actor_for(request))
        messages.success(
            request,
            ngettext("%(count)d booking not approved.", "%(count)d bookings not approved.", done) % {"count": done},
        )
        return redirect("backoffice:approvals", session_id=session.pk)
    done, refused = approvals.approve_bookings(booking_ids=ids, actor=actor_for(request))
    if done:
        messages.success(
            request, ngettext("%(count)d booking approved.", "%(count)d bookings approved.", done) % {"count": done}
        )
    if refused:
        messages.error(request, " ".join(refused))
    return redirect("backoffice:approvals", session_id=session.pk)
