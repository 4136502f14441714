"""The "Email sending" page of an organisation's settings: the install's email server or
GOV.UK Notify (its API key, never shown back, and the template of each kind of message),
and a test email, queued and sent the way the organisation sends. The rules are
notifications/sending_settings.py's."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import acting_organiser_or_404, require, staff_required
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.notifications import sending_settings
from bookyourplace.notifications.models import NotifySettings
from bookyourplace.privacy.services import actor_for

_TEMPLATE_ID_HINT = gettext_lazy(
    "In GOV.UK Notify: Templates, the template, its ID. Like 9d3a…-…-…-…-… (36 characters)."
)


def _template_id(label, *, help_text=_TEMPLATE_ID_HINT):
    return forms.CharField(
        label=label,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "govuk-input--width-30"}),
        error_messages={"max_length": gettext_lazy("A template ID is 36 characters")},
    )


class EmailSendingForm(GovukForm):
    sending = forms.ChoiceField(
        label=gettext_lazy("How do emails to attendees go?"),
        choices=NotifySettings.Sending.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select how emails to attendees go"),
            "invalid_choice": gettext_lazy("Select how emails to attendees go"),
        },
    )
    api_key = forms.CharField(
        label=gettext_lazy("GOV.UK Notify API key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}, render_value=False),
        error_messages={"max_length": gettext_lazy("The API key must be 200 characters or fewer")},
    )
    default_template_id = _template_id(
        gettext_lazy("Template for every email"),
        help_text=gettext_lazy(
            "An email template whose subject is ((subject)) and whose message is ((body)). "
            "Emails with a template of their own below use that instead."
        ),
    )
    sms_template_id = _template_id(
        gettext_lazy("Text message template"),
        help_text=gettext_lazy(
            "A text message template whose message is ((body)). With one, the booking form offers "
            "“Text me a reminder the day before”."
        ),
    )

    def __init__(self, *args, key_saved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["api_key"].help_text = (
            _("A key is saved. It is never shown again: leave this empty to keep it, or enter a new one.")
            if key_saved
            else _("In GOV.UK Notify: API integration, API keys, create an API key. Copy all of it.")
        )
        for kind, label in EmailKind.choices:
            self.fields[f"template_{kind}"] = _template_id(label, help_text="")

    @property
    def template_fields(self) -> list:
        return [self[f"template_{kind}"] for kind in EmailKind.values]

    def template_ids(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(f"template_{kind}", "") for kind in EmailKind.values}


class TestEmailForm(GovukForm):
    test_to = forms.EmailField(
        label=gettext_lazy("Send a test email to"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter the email address to send the test to"),
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )


def _page(request, organiser, current, form, test_form):
    return render(
        request,
        "backoffice/organisations/email_sending.html",
        {
            "settings_of": organiser,
            "current": current,
            "form": form,
            "test_form": test_form,
            "tests": sending_settings.last_tests(organiser),
        },
    )


@staff_required
def email_sending(request):
    require(permissions.can_change_organisation_settings(request.user))
    organiser = acting_organiser_or_404(request)
    current = sending_settings.settings_of(organiser)
    initial = {
        "sending": current.sending,
        "default_template_id": current.default_template_id,
        "sms_template_id": current.sms_template_id,
        **{f"template_{kind}": value for kind, value in current.template_ids.items()},
    }
    form = EmailSendingForm(
        request.POST if request.method == "POST" else None, initial=initial, key_saved=bool(current.api_key)
    )
    if request.method == "POST" and form.is_valid():
        try:
            sending_settings.save_sending(
                organiser=organiser,
                sending=form.cleaned_data["sending"],
                api_key=form.cleaned_data["api_key"],
                default_template_id=form.cleaned_data["default_template_id"],
                template_ids=form.template_ids(),
                sms_template_id=form.cleaned_data["sms_template_id"],
                actor=actor_for(request),
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Saved how %(name)s sends email.") % {"name": organiser.name})
            return redirect("backoffice:email_sending")
    return _page(request, organiser, current, form, TestEmailForm())


@staff_required
def email_sending_test(request):
    """Queue a test email; the page lists it with what became of it."""
    require(permissions.can_change_organisation_settings(request.user))
    organiser = acting_organiser_or_404(request)
    current = sending_settings.settings_of(organiser)
    test_form = TestEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and test_form.is_valid():
        try:
            sending_settings.send_test(organiser=organiser, to=test_form.cleaned_data["test_to"])
        except DomainError as refusal:
            errors.add_to_form(test_form, refusal)
        else:
            messages.success(
                request,
                _("A test email to %(address)s is on its way. Refresh this page to see whether it was sent.")
                % {"address": test_form.cleaned_data["test_to"]},
            )
            return redirect("backoffice:email_sending")
    form = EmailSendingForm(
        initial={"sending": current.sending, "default_template_id": current.default_template_id},
        key_saved=bool(current.api_key),
    )
    return _page(request, organiser, current, form, test_form)
