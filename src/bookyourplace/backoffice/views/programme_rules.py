"""A programme's booking rules: who can book, confirming the email address, offers, each
organisation's fair share of a session, the cancellation cut-off, reminders; and after the session, what counts as attended and whether
attendees get a certificate."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import programme_for, staff_required
from bookyourplace.bookings import waiting_list
from bookyourplace.bookings.reminders import parse_reminder_days
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import CheckboxField, GovukForm, whole_number_field
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import editing
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation


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
    fair_share_cap = whole_number_field(
        gettext_lazy("Places one organisation can have on each session"),
        help_text=gettext_lazy(
            "Leave empty for no limit. With 2, a third person from the same organisation goes on the waiting "
            "list, and is told why, while places are left for others. We tell organisations apart by the email "
            "address (stmarys.sch.uk), or by the organisation typed when it is Gmail, Outlook, nhs.net and the like."
        ),
        min_value=1,
        max_value=999,
        required="",
        invalid=gettext_lazy("Enter a whole number of places, like 2, or leave it empty"),
        too_small=gettext_lazy("Allow at least 1 place per organisation, or leave it empty for no limit"),
        too_big=gettext_lazy("Enter 999 places or fewer"),
    )
    fair_share_cap.required = False
    cancellation_cutoff_hours = whole_number_field(
        gettext_lazy("Attendees can cancel online until this many hours before the start"),
        help_text=gettext_lazy(
            "0 means until the session starts. After the cut-off the booking page says whom to contact."
        ),
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
    attendance_threshold_percent = whole_number_field(
        gettext_lazy("Attended means present for at least this percentage of the session"),
        help_text=gettext_lazy(
            "Used when you import a Teams attendance report: someone present for less is “partly attended”, "
            "and only people who attended get a certificate. 75 means 45 minutes of an hour."
        ),
        min_value=1,
        max_value=100,
        required=gettext_lazy("Enter the percentage of the session, like 75"),
        invalid=gettext_lazy("Enter a whole number from 1 to 100, like 75"),
        too_small=gettext_lazy("Enter a percentage of 1 or more"),
        too_big=gettext_lazy("Enter a percentage of 100 or less"),
    )
    certificates_enabled = CheckboxField(
        legend=gettext_lazy("Certificates of attendance"),
        label=gettext_lazy("Offer a certificate to everyone marked as attended, from their booking page"),
        required=False,
    )
    certificate_needs_feedback = CheckboxField(
        legend=gettext_lazy("Feedback before the certificate"),
        label=gettext_lazy("Only once the attendee has given their feedback on the session"),
        help_text=gettext_lazy("Certificates already issued stay valid whatever you choose here."),
        required=False,
    )

    retention_months = whole_number_field(
        gettext_lazy("Keep people's details for this many months after the programme's last session"),
        help_text=gettext_lazy(
            "Then names, email addresses, job titles and feedback comments are removed for good. Sector, "
            "organisation, attendance and feedback scores are kept, so reports still add up. Follow your "
            "council's retention schedule; 24 months is usual."
        ),
        min_value=1,
        max_value=120,
        required=gettext_lazy("Enter the number of months, like 24"),
        invalid=gettext_lazy("Enter a whole number of months, like 24"),
        too_small=gettext_lazy("Keep people's details for at least 1 month"),
        too_big=gettext_lazy("Enter 120 months (10 years) or fewer"),
    )
    access_needs_retention_days = whole_number_field(
        gettext_lazy("Keep access needs for this many days after each session"),
        help_text=gettext_lazy(
            "Access needs are health information: keep them only as long as you need them. 0 removes them "
            "on the first night after the session."
        ),
        min_value=0,
        max_value=3650,
        required=gettext_lazy("Enter the number of days, like 30"),
        invalid=gettext_lazy("Enter a whole number of days, like 30"),
        too_small=gettext_lazy("Enter 0 or more days"),
        too_big=gettext_lazy("Enter 3650 days (10 years) or fewer"),
    )

    def clean(self):
        data = super().clean()
        # Not there when the field itself was refused (a null character, say).
        if "reminder_days" in data:
            try:
                data["reminder_days"] = parse_reminder_days(data["reminder_days"])
            except DomainError as refusal:
                errors.add_to_form(self, refusal)
        if (
            data.get("approval_mode") == ApprovalMode.TRUSTED_DOMAINS
            and not (data.get("trusted_domains") or "").strip()
        ):
            self.add_error("trusted_domains", _("Enter at least one trusted domain, or choose another option"))
        return data


@staff_required
def programme_rules(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    initial = {name: getattr(programme, name) for name in ProgrammeRulesForm.base_fields}
    form = ProgrammeRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cap_before = programme.fair_share_cap
        editing.change_programme_rules(programme=programme, actor=actor_for(request), **form.cleaned_data)
        if programme.fair_share_cap != cap_before:
            # A higher cap (or none) may give free places to people waiting for their share.
            waiting_list.offer_places_the_cap_frees(programme_id=programme.pk)
        messages.success(request, _("Booking rules saved."))
        return redirect("backoffice:programme", programme_id=programme.pk)
    return render(request, "backoffice/programme_rules.html", {"form": form, "programme": programme})
