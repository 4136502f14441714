"""The organiser's privacy notice and accessibility statement: administrators fill in their
details; everyone else on the staff reads them. The public pages show the result."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import acting_organiser_or_404, require, staff_required
from bookyourplace.core.forms import CheckboxField, DatePicker, GovukForm, whole_number_field
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import organiser_pages
from bookyourplace.programmes.models import Compliance, Organiser, SpecialCategoryCondition


def _text_box(label, *, help_text="", rows=4, max_length=4000, required_message=""):
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": gettext_lazy("Keep this to %(limit_value)d characters or fewer"),
        },
    )


def _email(label, *, help_text="", required=False, required_message=""):
    return forms.EmailField(
        label=label,
        required=required,
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": required_message,
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )


def _line(label, *, help_text="", max_length=200, width=20):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": f"govuk-input--width-{width}", "spellcheck": "false"}),
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters or fewer")},
    )


class PrivacyNoticeForm(GovukForm):
    controller_name = _line(
        gettext_lazy("Data controller"),
        help_text=gettext_lazy(
            "The council or body responsible for the data. Leave empty to use the organiser's name."
        ),
        width=30,
    )
    controller_address = _text_box(gettext_lazy("Data controller's postal address"), rows=4, max_length=500)
    controller_email = _email(
        gettext_lazy("Email address for questions about personal data"),
        help_text=gettext_lazy("Leave empty to use the organiser's contact address."),
    )
    dpo_name = _line(gettext_lazy("Data protection officer's name"), width=20)
    dpo_email = _email(
        gettext_lazy("Data protection officer's email address"),
        required=True,
        required_message=gettext_lazy("Enter the data protection officer's email address"),
    )
    dpo_phone = _line(gettext_lazy("Data protection officer's phone number"), max_length=50, width=10)
    special_category_condition = forms.ChoiceField(
        label=gettext_lazy("Which condition do you rely on to use access needs (health information)?"),
        help_text=gettext_lazy(
            "UK GDPR Article 9. Most councils use substantial public interest; ask your data protection officer."
        ),
        choices=SpecialCategoryCondition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select the condition you rely on for access needs")},
    )
    extra_recipients = _text_box(
        gettext_lazy("Other recipients"),
        help_text=gettext_lazy(
            "One a line, for example the safeguarding partnership. The notice already names your staff, "
            "line managers, the email provider and Microsoft Teams."
        ),
        rows=3,
        max_length=1000,
    )
    extra_text = _text_box(
        gettext_lazy("Anything else people should know"),
        help_text=gettext_lazy("Plain text. Leave an empty line between paragraphs."),
        rows=6,
    )


class AccessibilityStatementForm(GovukForm):
    compliance = forms.ChoiceField(
        label=gettext_lazy("How accessible is the service?"),
        choices=Compliance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select how accessible the service is")},
    )
    known_issues = _text_box(
        gettext_lazy("Parts that are not accessible"),
        help_text=gettext_lazy(
            "One a line: what a person cannot do, why, and when you will fix it. "
            "Leave empty only if the service is fully compliant."
        ),
        rows=6,
    )
    contact_email = _email(
        gettext_lazy("Email address for accessibility requests and problems"),
        help_text=gettext_lazy("Leave empty to use the organiser's contact address."),
    )
    contact_phone = _line(gettext_lazy("Phone number for accessibility requests"), max_length=50, width=10)
    response_days = whole_number_field(
        gettext_lazy("We reply to requests within (working days)"),
        min_value=1,
        max_value=60,
        required=gettext_lazy("Enter how many working days you take to reply"),
        invalid=gettext_lazy("Enter a whole number of working days, like 5"),
        too_small=gettext_lazy("Reply within at least 1 working day"),
        too_big=gettext_lazy("Reply within 60 working days at most"),
    )
    northern_ireland = CheckboxField(
        legend=gettext_lazy("Enforcement"),
        label=gettext_lazy(
            "We are in Northern Ireland (complaints go to the Equality Commission for Northern Ireland)"
        ),
        required=False,
    )
    how_tested = _text_box(
        gettext_lazy("How the service was tested"),
        help_text=gettext_lazy("Who tested it, and how: for example an audit by an accessibility company."),
        rows=5,
        max_length=2000,
        required_message=gettext_lazy("Say how the service was tested"),
    )
    tested_on = forms.DateField(
        label=gettext_lazy("Date of the last test"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the date of the last test as a real date")},
    )

    def clean_tested_on(self):
        day = self.cleaned_data["tested_on"]
        if day and day > dt.date.today():
            raise forms.ValidationError(_("The date of the last test must be today or in the past"))
        return day

    def clean(self):
        data = super().clean()
        compliance, issues = data.get("compliance"), (data.get("known_issues") or "").strip()
        if compliance in (Compliance.PARTIAL, Compliance.NOT_COMPLIANT) and not issues:
            self.add_error("known_issues", _("List the parts that are not accessible"))
        if compliance == Compliance.FULL and issues:
            self.add_error(
                "compliance",
                _("Choose partially compliant: you have listed parts that are not accessible"),
            )
        return data


def _organiser(request) -> Organiser:
    return acting_organiser_or_404(request)


def _edit_page(request, *, instance, form_class, fields, save, template, done_message):
    """One page for both: the form for administrators (saved through ``save``), the same
    details read-only for everyone else on the staff."""
    organiser = _organiser(request)
    may_edit = permissions.can_edit_organiser_pages(request.user)
    if request.method == "POST":
        require(may_edit)
    current = instance(organiser)
    form = form_class(request.POST or None, initial={name: getattr(current, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        save(organiser=organiser, values=form.cleaned_data, actor=actor_for(request))
        messages.success(request, done_message)
        return redirect(request.path)
    context = {"form": form, "may_edit": may_edit, "current": current, "page_organiser": organiser}
    return render(request, template, context)


@staff_required
def privacy_notice_edit(request):
    return _edit_page(
        request,
        instance=organiser_pages.privacy_notice_for,
        form_class=PrivacyNoticeForm,
        fields=organiser_pages.PRIVACY_NOTICE_FIELDS,
        save=organiser_pages.save_privacy_notice,
        template="backoffice/organiser_privacy_notice.html",
        done_message=_("The privacy notice has been saved. People see it as it is now."),
    )


@staff_required
def accessibility_statement_edit(request):
    return _edit_page(
        request,
        instance=organiser_pages.accessibility_statement_for,
        form_class=AccessibilityStatementForm,
        fields=organiser_pages.ACCESSIBILITY_STATEMENT_FIELDS,
        save=organiser_pages.save_accessibility_statement,
        template="backoffice/organiser_accessibility_statement.html",
        done_message=_("The accessibility statement has been saved and marked as reviewed today."),
    )
