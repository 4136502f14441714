"""Sessions: add, change (attendees are told of a new time, place or link), cancel."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import programme_for, session_for, staff_required
from bookyourplace.bookings import session_changes
from bookyourplace.bookings.availability import add_booking_counts
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import CheckboxField, DatePicker, GovukForm, whole_number_field
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import sessions as programme_sessions
from bookyourplace.programmes.models import ApprovalMode, Session


def _required(message):
    return {"required": message}


class SessionForm(GovukForm):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=250, error_messages=_required(gettext_lazy("Enter a title"))
    )
    subtitle = forms.CharField(label=gettext_lazy("Subtitle"), max_length=250, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        help_text=gettext_lazy("Shown on the programme and session pages."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=DatePicker(),
        error_messages={
            "required": gettext_lazy("Enter the date of the session"),
            "invalid": gettext_lazy("Enter a real date"),
        },
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter the start time"),
            "invalid": gettext_lazy("Enter a time like 13:00"),
        },
    )
    end_time = forms.TimeField(
        label=gettext_lazy("End time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter the end time"),
            "invalid": gettext_lazy("Enter a time like 15:00"),
        },
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("How is it delivered?"),
        choices=Session.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages=_required(gettext_lazy("Select online or in person")),
    )
    platform = forms.CharField(
        label=gettext_lazy("Online platform"),
        max_length=100,
        required=False,
        help_text=gettext_lazy('For example "Microsoft Teams".'),
    )
    joining_url = forms.URLField(
        label=gettext_lazy("Joining link"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Private: only confirmed attendees see it, on their booking page and in their emails."),
        error_messages={"invalid": gettext_lazy("Enter a full web address, like https://teams.microsoft.com/...")},
    )
    joining_instructions = forms.CharField(
        label=gettext_lazy("Joining instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    venue = forms.CharField(
        label=gettext_lazy("Venue"), max_length=200, required=False, help_text=gettext_lazy("For example Friargate.")
    )
    room = forms.CharField(
        label=gettext_lazy("Room"), max_length=100, required=False, help_text=gettext_lazy("For example Room 1.4.")
    )
    address = forms.CharField(label=gettext_lazy("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    capacity = whole_number_field(
        gettext_lazy("Number of places"),
        min_value=1,
        max_value=100000,
        width=5,
        required=gettext_lazy("Enter the number of places"),
        invalid=gettext_lazy("Enter the number of places as a whole number, like 30"),
        too_small=gettext_lazy("Enter a number of places of 1 or more"),
        too_big=gettext_lazy("Enter a number of places of 100,000 or fewer"),
    )
    booking_opens_at = forms.DateTimeField(
        label=gettext_lazy("Booking opens"),
        required=False,
        help_text=gettext_lazy("Leave empty to open booking as soon as the programme is published."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": gettext_lazy("Enter a real date and time")},
    )
    booking_closes_at = forms.DateTimeField(
        label=gettext_lazy("Booking closes"),
        required=False,
        help_text=gettext_lazy("Leave empty to close booking when the session starts."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": gettext_lazy("Enter a real date and time")},
    )

    approval_mode = forms.ChoiceField(
        label=gettext_lazy("Who can book this session?"),
        choices=[("", gettext_lazy("As the programme says"))] + list(ApprovalMode.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    trusted_domains = forms.CharField(
        label=gettext_lazy("Trusted email domains for this session"),
        required=False,
        help_text=gettext_lazy("Only used when this session has its own rule. One per line, for example nhs.net."),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    confirm_from_waiting_list = CheckboxField(
        legend=gettext_lazy("Waiting list"),
        label=gettext_lazy("Give freed places straight to the next person waiting, without an offer to accept"),
        required=False,
    )

    # Where each rule's complaint about a model field appears on this form.
    FIELD_FOR = {"starts_at": "start_time", "ends_at": "end_time"}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def session_details(self) -> programme_sessions.SessionDetails:
        data = dict(self.cleaned_data)
        tz = self.programme.tz
        day = data.pop("date")
        data["starts_at"] = dt.datetime.combine(day, data.pop("start_time"), tzinfo=tz)
        data["ends_at"] = dt.datetime.combine(day, data.pop("end_time"), tzinfo=tz)
        for name in ("booking_opens_at", "booking_closes_at"):
            if data[name] is not None:
                data[name] = data[name].replace(tzinfo=None).replace(tzinfo=tz)
        return data

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        tz = session.programme.tz
        initial = {
            name: getattr(session, name) for name in programme_sessions.SESSION_FIELDS if name in cls.base_fields
        }
        initial["date"] = session.starts_at.astimezone(tz).date()
        initial["start_time"] = session.starts_at.astimezone(tz).time()
        initial["end_time"] = session.ends_at.astimezone(tz).time()
        for name in ("booking_opens_at", "booking_closes_at"):
            value = getattr(session, name)
            initial[name] = value.astimezone(tz).replace(tzinfo=None) if value else None
        return initial


@staff_required
def session_new(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    form = SessionForm(
        request.POST or None,
        programme=programme,
        initial={"delivery": Session.Delivery.ONLINE, "platform": "Microsoft Teams"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = programme_sessions.create_session(
                programme=programme, actor=actor_for(request), **form.session_details()
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal, field_for=SessionForm.FIELD_FOR)
        else:
            messages.success(request, _("Session added."))
            return redirect("backoffice:session", session_id=session.pk)
    return render(request, "backoffice/session_form.html", {"form": form, "programme": programme})


@staff_required
def session_edit(request, session_id):
    session = session_for(request, session_id, edit=True)
    form = SessionForm(request.POST or None, programme=session.programme, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            change = session_changes.change_session(
                session_id=session.pk, actor=actor_for(request), **form.session_details()
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal, field_for=SessionForm.FIELD_FOR)
        else:
            if change.attendees_told:
                messages.success(
                    request,
                    ngettext(
                        "Session saved. %(count)d attendee is being emailed the new details with an updated calendar invite.",
                        "Session saved. %(count)d attendees are being emailed the new details with an updated calendar invite.",
                        change.attendees_told,
                    )
                    % {"count": change.attendees_told},
                )
            else:
                messages.success(request, _("Session saved."))
            return redirect("backoffice:session", session_id=session.pk)
    return render(
        request, "backoffice/session_form.html", {"form": form, "programme": session.programme, "session": session}
    )


class CancelSessionForm(GovukForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Included in the email to attendees."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required
def session_cancel(request, session_id):
    session = session_for(request, session_id, edit=True)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = session_changes.cancel_session(
            session_id=session.pk, actor=actor_for(request), reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            ngettext(
                "Session cancelled. %(count)d attendee is being told, with a calendar cancellation.",
                "Session cancelled. %(count)d attendees are being told, with a calendar cancellation.",
                change.attendees_told,
            )
            % {"count": change.attendees_told},
        )
        return redirect("backoffice:session", session_id=session.pk)
    return render(
        request, "backoffice/session_cancel.html", {"form": form, "session": session, "programme": session.programme}
    )


@staff_required
def session_detail(request, session_id):
    session = session_for(request, session_id)
    add_booking_counts([session])
    return render(
        request,
        "backoffice/session.html",
        {
            "session": session,
            "programme": session.programme,
            "approval_mode_label": ApprovalMode(session.effective_approval_mode).label,
            "can_edit": permissions.can_edit(request.user, programme=session.programme),
            "can_export": permissions.can_export_personal_data(request.user, programme=session.programme),
        },
    )
