from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.models import Sector
from bookyourplace.bookings.services import AttendeeDetails
from bookyourplace.core.forms import CheckboxField, GovukForm

# The booking form is shared by the public site and the back office ("add a booking for
# someone who phoned"), so it lives with the bookings domain, as its interface.


def _text(label, *, max_length, required_message, too_long_message, autocomplete, help_text="", required=True):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={"required": required_message, "max_length": too_long_message},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


class BookingForm(GovukForm):
    first_name = _text(
        _("First name"),
        max_length=100,
        autocomplete="given-name",
        required_message=_("Enter your first name"),
        too_long_message=_("First name must be 100 characters or fewer"),
    )
    last_name = _text(
        _("Last name"),
        max_length=100,
        autocomplete="family-name",
        required_message=_("Enter your last name"),
        too_long_message=_("Last name must be 100 characters or fewer"),
    )
    email = forms.EmailField(
        label=_("Work email address"),
        max_length=254,
        help_text=_("Use your own work email, not a shared inbox. We will send your confirmation and joining details here."),
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = _text(
        _("Organisation"),
        max_length=200,
        autocomplete="organization",
        help_text=_("For example, the school, trust, practice or team you work for."),
        required_message=_("Enter the name of your organisation"),
        too_long_message=_("Organisation must be 200 characters or fewer"),
    )
    sector = forms.ChoiceField(
        label=_("Which sector do you work in?"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the sector you work in"),
            "invalid_choice": _("Select the sector you work in"),
        },
    )
    job_title = _text(
        _("Job title or role"),
        max_length=200,
        autocomplete="organization-title",
        required_message=_("Enter your job title or role"),
        too_long_message=_("Job title or role must be 200 characters or fewer"),
    )
    line_manager_email = forms.EmailField(
        label=_("Your line manager's email address"),
        required=False,
        max_length=254,
        help_text=_("If you give it, we send your line manager a copy of your booking (without your private links)."),
        error_messages={
            "invalid": _("Enter your line manager's email address in the correct format, like name@example.com"),
            "max_length": _("Line manager's email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        required=False,
        max_length=1000,
        help_text=_(
            "Tell us about anything that would help you take part, for example captions, a British Sign "
            "Language interpreter or step-free access. We only use this to arrange support and delete it "
            "after the session."
        ),
        error_messages={"max_length": _("Access needs must be 1000 characters or fewer")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = CheckboxField(
        legend=_("How we use your information"),
        label=_("I agree to my details being used to manage my booking and to report on attendance"),
        error_messages={"required": _("Confirm that you agree to how we use your information")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            str(_('Read the <a class="govuk-link" href="{}">privacy notice</a> to see how we use and keep your information.')),
            reverse("public:privacy"),
        )

    def attendee(self) -> AttendeeDetails:
        data = self.cleaned_data
        return AttendeeDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            sector=data["sector"],
            job_title=data["job_title"],
            access_needs=data["access_needs"],
            line_manager_email=data["line_manager_email"],
        )
