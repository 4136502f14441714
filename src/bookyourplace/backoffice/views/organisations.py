"""Several organisations on one install.

The Organisations pages (installation administrators, Django superusers): the list, add one,
change one, add its first administrator. "Organisation settings" (an organisation's own
administrators): its colour, how its emails read, the retention its new programmes take.
"Change organisation": which one an installation administrator acts for (backoffice/access.py).
The rules are programmes/organisations.py's and accounts/services.py's.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.accounts import permissions
from bookyourplace.accounts import services as accounts
from bookyourplace.accounts.models import Role
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import (
    act_for,
    acting_organiser_or_404,
    can_switch_organisation,
    require,
    safe_next,
    staff_required,
)
from bookyourplace.backoffice.views.people import PersonForm
from bookyourplace.backoffice.views.programme_rules import ProgrammeRulesForm
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import organisations
from bookyourplace.programmes.models import Organiser

_COLOUR_HINT = gettext_lazy(
    "A dark colour as 6 hexadecimal digits after #, like #1d4f91. The header of its pages and emails "
    "has this colour with white text, so it must be dark enough to read."
)


def _text(label, *, max_length: int, required: bool = True, help_text="", missing="", too_long="", **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"spellcheck": "false", **attrs}),
        error_messages={"required": missing, "max_length": too_long},
    )


def _email(label, *, required: bool = True, help_text="", missing=""):
    return forms.EmailField(
        label=label,
        required=required,
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": missing,
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )


class OrganisationForm(GovukForm):
    name = _text(
        gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("As attendees know it, for example “Coventry City Council Prevent team”."),
        missing=gettext_lazy("Enter the organisation’s name"),
        too_long=gettext_lazy("The name must be 200 characters or fewer"),
    )
    slug = _text(
        gettext_lazy("Short name"),
        max_length=60,
        help_text=gettext_lazy(
            "Lower-case letters, numbers and hyphens, for example “coventry”. Used in the web addresses "
            "of its privacy notice and accessibility statement."
        ),
        missing=gettext_lazy("Enter a short name"),
        too_long=gettext_lazy("The short name must be 60 characters or fewer"),
        autocomplete="off",
    )
    contact_email = _email(
        gettext_lazy("Contact email"),
        help_text=gettext_lazy("Shown to attendees on its pages and at the end of its emails."),
        missing=gettext_lazy("Enter the contact email address"),
    )
    brand_colour = _text(
        gettext_lazy("Brand colour"),
        max_length=7,
        help_text=_COLOUR_HINT,
        missing=gettext_lazy("Enter a colour like #1d4f91"),
        too_long=gettext_lazy("Enter a colour like #1d4f91"),
        autocomplete="off",
    )
    email_sender_name = _text(
        gettext_lazy("Email sender name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The name attendees see their emails come from. Leave it empty to use the name."),
        too_long=gettext_lazy("The sender name must be 100 characters or fewer"),
    )
    reply_to_email = _email(
        gettext_lazy("Reply-to address"),
        required=False,
        help_text=gettext_lazy("Where attendees’ replies to its emails go. Leave it empty to use the contact email."),
    )


class SettingsForm(GovukForm):
    brand_colour = OrganisationForm.base_fields["brand_colour"]
    email_sender_name = OrganisationForm.base_fields["email_sender_name"]
    reply_to_email = OrganisationForm.base_fields["reply_to_email"]
    email_sign_off = forms.CharField(
        label=gettext_lazy("Email sign-off"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy(
            "Your own words at the end of every email to attendees, above your name and contact email, "
            "for example “With best wishes, the Prevent team”."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": gettext_lazy("The sign-off must be 1,000 characters or fewer")},
    )
    offers_welsh = forms.TypedChoiceField(
        label=gettext_lazy("Languages of your public pages"),
        help_text=gettext_lazy(
            "With Welsh, your pages have a Cymraeg / English switch, and attendees who book in Welsh get their "
            "emails in Welsh."
        ),
        choices=[("False", gettext_lazy("English only")), ("True", gettext_lazy("English and Welsh"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select the languages of your public pages")},
    )
    # As a programme's own booking rules ask for them: new programmes start with these.
    default_retention_months = ProgrammeRulesForm.base_fields["retention_months"]
    default_access_needs_retention_days = ProgrammeRulesForm.base_fields["access_needs_retention_days"]


class FirstAdministratorForm(GovukForm):
    first_name = PersonForm.base_fields["first_name"]
    last_name = PersonForm.base_fields["last_name"]
    email = PersonForm.base_fields["email"]


class SwitchForm(GovukForm):
    organiser = forms.ModelChoiceField(
        label=gettext_lazy("Which organisation are you working for?"),
        queryset=Organiser.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select an organisation"),
            "invalid_choice": gettext_lazy("Select an organisation from the list"),
        },
    )

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers


def _organisation_for(request, organiser_id: int) -> Organiser:
    require(permissions.can_manage_organisations(request.user))
    return get_object_or_404(Organiser, pk=organiser_id)


@staff_required
def organisation_list(request):
    require(permissions.can_manage_organisations(request.user))
    rows = Organiser.objects.annotate(
        programme_count=Count("programmes", distinct=True), staff_count=Count("staff", distinct=True)
    ).order_by("name", "pk")
    return render(request, "backoffice/organisations/list.html", {"organisations": rows})


@staff_required
def organisation_new(request):
    require(permissions.can_manage_organisations(request.user))
    form = OrganisationForm(request.POST or None, initial={"brand_colour": "#1d4f91"})
    if request.method == "POST" and form.is_valid():
        try:
            organiser = organisations.create_organisation(actor=actor_for(request), **form.cleaned_data)
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(
                request, _("%(name)s has been added. Now add its first administrator.") % {"name": organiser.name}
            )
            return redirect("backoffice:organisation_administrator", organiser_id=organiser.pk)
    return render(request, "backoffice/organisations/form.html", {"form": form, "organisation": None})


@staff_required
def organisation_edit(request, organiser_id):
    organiser = _organisation_for(request, organiser_id)
    form = OrganisationForm(
        request.POST or None, initial={name: getattr(organiser, name) for name in organisations.IDENTITY_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisations.change_organisation(
                organiser=organiser,
                values=form.cleaned_data,
                fields=organisations.IDENTITY_FIELDS,
                actor=actor_for(request),
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": organiser.name})
            return redirect("backoffice:organisations")
    return render(request, "backoffice/organisations/form.html", {"form": form, "organisation": organiser})


@staff_required
def organisation_administrator(request, organiser_id):
    """Add an administrator to the organisation (its first, usually): they are emailed a link
    to set their password, and then add the rest of its staff themselves."""
    organiser = _organisation_for(request, organiser_id)
    form = FirstAdministratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = accounts.add_staff_member(
                organiser=organiser, role=Role.ADMINISTRATOR, actor=actor_for(request), **form.cleaned_data
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("%(person)s is now an administrator of %(name)s. We are emailing them a link to set their password.")
                % {"person": member.user.get_full_name(), "name": organiser.name},
            )
            return redirect("backoffice:organisations")
    administrators = organiser.staff.filter(role=Role.ADMINISTRATOR).select_related("user").order_by("user__email")
    return render(
        request,
        "backoffice/organisations/administrator.html",
        {"form": form, "organisation": organiser, "administrators": administrators},
    )


@staff_required
def organisation_settings(request):
    """The settings of the organisation this person acts for: its administrators change them."""
    require(permissions.can_change_organisation_settings(request.user))
    organiser = acting_organiser_or_404(request)
    form = SettingsForm(
        request.POST or None, initial={name: getattr(organiser, name) for name in organisations.SETTINGS_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisations.change_organisation(organiser=organiser, values=form.cleaned_data, actor=actor_for(request))
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Saved the settings of %(name)s.") % {"name": organiser.name})
            return redirect("backoffice:organisation_settings")
    return render(request, "backoffice/organisations/settings.html", {"form": form, "settings_of": organiser})


@staff_required
def organisation_switch(request):
    """Choose the organisation to act for (only for someone who can see several)."""
    require(can_switch_organisation(request))
    form = SwitchForm(
        request.POST or None,
        organisers=permissions.organisers_for(request.user).order_by("name", "pk"),
        initial={"organiser": acting_organiser_or_404(request)},
    )
    if request.method == "POST" and form.is_valid():
        organiser = form.cleaned_data["organiser"]
        act_for(request, organiser)
        messages.success(request, _("You are now working for %(name)s.") % {"name": organiser.name})
        return redirect(safe_next(request))
    return render(request, "backoffice/organisations/switch.html", {"form": form, "next": safe_next(request, None)})
