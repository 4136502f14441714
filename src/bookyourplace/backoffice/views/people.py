"""Back-office accounts (administrators only): list, add, change role and programmes, switch off."""

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts import permissions
from bookyourplace.accounts import services as accounts
from bookyourplace.accounts.models import ROLE_HINTS, Role, StaffMember
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import organiser_for, require, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Organiser, Programme


class RoleForm(GovukForm):
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select a role"), "invalid_choice": gettext_lazy("Select a role")},
    )
    programmes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Programmes they run"),
        help_text=gettext_lazy("Select all that apply. They can also create new programmes."),
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Select programmes from the list")},
    )

    def __init__(self, *args, organiser: Organiser, member: StaffMember | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived programmes are offered only to keep an existing assignment.
        choices = Programme.objects.filter(organiser=organiser).exclude(status=Programme.Status.ARCHIVED)
        if member is not None:
            choices = choices | Programme.objects.filter(organiser=organiser, team=member)
        self.fields["programmes"].queryset = choices.distinct().order_by("title")

    def role_options(self) -> list[dict]:
        """Each role's radio with its hint, for the template."""
        return [
            {
                "widget": option,
                "hint": ROLE_HINTS[Role(option.data["value"])],
                "is_organiser": option.data["value"] == Role.ORGANISER,
            }
            for option in self["role"].subwidgets
        ]


class PersonForm(RoleForm):
    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter their first name")},
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter their last name")},
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("They sign in with this, and we send them a link to set their password."),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter their email address"),
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )
    field_order = ["first_name", "last_name", "email", "role", "programmes"]


def _organisers(request):
    """The organisation this person acts for (its people only; others' are 404)."""
    organiser = organiser_for(request)
    return Organiser.objects.filter(pk=organiser.pk if organiser else None)


def _member_for(request, member_id: int) -> StaffMember:
    """A person of this administrator's organiser (404 for anyone else's)."""
    return get_object_or_404(
        StaffMember.objects.select_related("user", "organiser").filter(organiser__in=_organisers(request)), pk=member_id
    )


def _is_self(request, member: StaffMember) -> bool:
    return member.user_id == request.user.pk


@staff_required
def people(request):
    require(permissions.can_manage_people(request.user))
    members = (
        StaffMember.objects.filter(organiser__in=_organisers(request))
        .select_related("user", "organiser")
        .prefetch_related("programmes")
        .annotate(has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)))
    )
    return render(request, "backoffice/people.html", {"members": members})


@staff_required
def person_new(request):
    require(permissions.can_manage_people(request.user))
    organiser = _organisers(request).first()
    if organiser is None:
        return redirect("backoffice:people")
    form = PersonForm(request.POST or None, organiser=organiser, initial={"role": Role.ORGANISER})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = accounts.add_staff_member(
                organiser=organiser,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                programmes=data["programmes"],
                actor=actor_for(request),
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("%(name)s has been added. We are emailing them a link to set their password.")
                % {"name": member.user.get_full_name()},
            )
            return redirect("backoffice:people")
    return render(request, "backoffice/people/add.html", {"form": form})


@staff_required
def person_edit(request, member_id):
    require(permissions.can_manage_people(request.user))
    member = _member_for(request, member_id)
    form = RoleForm(
        request.POST or None,
        organiser=member.organiser,
        member=member,
        initial={"role": member.role, "programmes": list(member.programmes.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_staff_member(
                member=member,
                role=form.cleaned_data["role"],
                programmes=form.cleaned_data["programmes"],
                actor=actor_for(request),
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Saved the role of %(name)s.") % {"name": _display_name(member)})
            return redirect("backoffice:people")
    return render(
        request, "backoffice/people/edit.html", {"form": form, "member": member, "is_self": _is_self(request, member)}
    )


@staff_required
def person_switch_off(request, member_id):
    """GET asks to confirm; POST switches the account off."""
    require(permissions.can_manage_people(request.user))
    member = _member_for(request, member_id)
    error = None
    if request.method == "POST":
        try:
            accounts.deactivate_staff_member(member=member, actor=actor_for(request))
        except DomainError as refusal:
            error = errors.page_error(refusal)
        else:
            messages.success(
                request,
                _("The account of %(name)s is switched off. They can no longer sign in.")
                % {"name": _display_name(member)},
            )
            return redirect("backoffice:people")
    elif _is_self(request, member):
        error = _("You cannot switch off your own account. Ask another administrator to do it")
    return render(
        request,
        "backoffice/people/switch_off.html",
        {
            "member": member,
            "heading": _("Switch off the account of %(name)s") % {"name": _display_name(member)},
            "error": error,
            "is_self": _is_self(request, member),
        },
    )


@staff_required
def person_reset_two_factor(request, member_id):
    """GET asks to confirm; POST removes their authenticators, so they set one up again at
    their next sign-in. Only from a session verified with the administrator's own code."""
    require(permissions.can_manage_people(request.user))
    member = _member_for(request, member_id)
    error = None
    if request.method == "POST":
        try:
            accounts.reset_two_factor(member=member, actor=actor_for(request))
        except DomainError as refusal:
            error = errors.page_error(refusal)
        else:
            messages.success(
                request,
                _(
                    "Two-factor sign-in of %(name)s is reset. They will set up an authenticator app the next time they sign in."
                )
                % {"name": _display_name(member)},
            )
            return redirect("backoffice:people")
    return render(
        request,
        "backoffice/people/reset_two_factor.html",
        {
            "member": member,
            "heading": _("Reset the two-factor sign-in of %(name)s") % {"name": _display_name(member)},
            "error": error,
            "is_self": _is_self(request, member),
            "has_two_factor": accounts.has_authenticator(member.user),
            "may_reset": accounts.session_is_verified(request.user),
        },
    )


def _display_name(member: StaffMember) -> str:
    return member.user.get_full_name() or member.user.email
