"""Approvals, the waiting list, and a programme's booking rules (who can book, offers,
cancellation cut-off, reminders)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import programme_for, session_for, staff_required
from bookyourplace.bookings import approvals
from bookyourplace.bookings.models import Booking
from bookyourplace.core.forms import GovukForm, whole_number_field
from bookyourplace.core.requests import actor_for
from bookyourplace.notifications.reminders import parse_reminder_days
from bookyourplace.programmes import services
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation


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
            "can_edit": permissions.can_edit(request.user, session.programme),
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
        messages.success(request, ngettext("%(count)d booking not approved.", "%(count)d bookings not approved.", done) % {"count": done})
        return redirect("backoffice:approvals", session_id=session.pk)
    done, refused = approvals.approve_bookings(booking_ids=ids, actor=actor_for(request))
    if done:
        messages.success(request, ngettext("%(count)d booking approved.", "%(count)d bookings approved.", done) % {"count": done})
    if refused:
        messages.error(request, " ".join(refused))
    return redirect("backoffice:approvals", session_id=session.pk)


@staff_required
def waiting_list(request, session_id):
    session = session_for(request, session_id)
    queue = session.bookings.filter(status__in=[Booking.Status.OFFERED, Booking.Status.WAITING]).order_by(
        "status", "created_at", "pk"
    )
    offered = [b for b in queue if b.is_offered]
    waiting = [b for b in queue if b.is_waiting]
    return render(
        request,
        "backoffice/waiting_list.html",
        {"session": session, "programme": session.programme, "offered": offered, "waiting": waiting},
    )


class ProgrammeRulesForm(GovukForm):
    approval_mode = forms.ChoiceField(
        label=gettext_lazy("Who can book?"),
        choices=ApprovalMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select who can book")},
    )
    trusted_domains = forms.CharField(
        label=gettext_lazy("Trusted email domains"),
        required=False,
        help_text=gettext_lazy("One per line, for example coventry.gov.uk, nhs.net, *.sch.uk or police.uk."),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    email_confirmation = forms.ChoiceField(
        label=gettext_lazy("Must people confirm their email address before their place is theirs?"),
        help_text=gettext_lazy(
            "If so, a new booking holds its place until the person opens the link we email them and confirms it, "
            "within a short time; otherwise the place goes to someone else. It stops a script filling sessions "
            "with invented addresses. With trusted domains it is on unless you choose Never: a domain proves "
            "nothing until the address is shown to be real."
        ),
        choices=EmailConfirmation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select whether people must confirm their email address")},
    )
    offer_hold_hours = whole_number_field(
        gettext_lazy("Hours a place offered from the waiting list is held"),
        min_value=1,
        max_value=336,
        required=gettext_lazy("Enter how many hours an offered place is held"),
        invalid=gettext_lazy("Enter a whole number of hours, like 24"),
        too_small=gettext_lazy("Hold an offered place for at least 1 hour"),
        too_big=gettext_lazy("Hold an offered place for at most 336 hours (2 weeks)"),
    )
    cancellation_cutoff_hours = whole_number_field(
        gettext_lazy("Attendees can cancel online until this many hours before the start"),
        help_text=gettext_lazy("0 means until the session starts. After the cut-off the booking page says whom to contact."),
        min_value=0,
        max_value=720,
        required=gettext_lazy("Enter the cut-off in hours, or 0"),
        invalid=gettext_lazy("Enter a whole number of hours, like 48"),
        too_small=gettext_lazy("Enter 0 or more hours"),
        too_big=gettext_lazy("Enter 720 hours (30 days) or fewer"),
    )
    reminder_days = forms.CharField(
        label=gettext_lazy("Reminders, in days before the session"),
        required=False,
        help_text=gettext_lazy("Separate with commas, for example 5, 1. Leave empty for none."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    joining_reminder_minutes = whole_number_field(
        gettext_lazy("Minutes before an online session to send the joining link again"),
        help_text=gettext_lazy("0 turns this reminder off."),
        min_value=0,
        max_value=1440,
        required=gettext_lazy("Enter the minutes, or 0"),
        invalid=gettext_lazy("Enter a whole number of minutes, like 60"),
        too_small=gettext_lazy("Enter 0 or more minutes"),
        too_big=gettext_lazy("Enter 1440 minutes (1 day) or fewer"),
    )

    def clean_reminder_days(self):
        try:
            return parse_reminder_days(self.cleaned_data["reminder_days"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean(self):
        data = super().clean()
        if data.get("approval_mode") == ApprovalMode.TRUSTED_DOMAINS and not (data.get("trusted_domains") or "").strip():
            self.add_error("trusted_domains", _("Enter at least one trusted domain, or choose another option"))
        return data


@staff_required
def programme_rules(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    initial = {name: getattr(programme, name) for name in ProgrammeRulesForm.base_fields}
    form = ProgrammeRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_programme_rules(programme=programme, rules=form.cleaned_data, actor=actor_for(request))
        messages.success(request, _("Booking rules saved."))
        return redirect("backoffice:programme", programme_id=programme.pk)
    return render(request, "backoffice/programme_rules.html", {"form": form, "programme": programme})
