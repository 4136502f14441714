"""Council sign-in: "Sign in with <provider>" and the provider's return (mozilla-django-oidc's
views, set up per provider), and the administrators' "Council sign-in" pages. The rules are
accounts/council_sign_in.py's and accounts/sign_in_providers.py's."""

import logging
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from bookyourplace.accounts import council_sign_in, permissions, sign_in_providers
from bookyourplace.accounts.council_sign_in import CouncilSignInBackend, ProviderUnavailable, SignInRefused
from bookyourplace.accounts.models import SignInProvider
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import organiser_for, require, staff_required
from bookyourplace.core import rate_limits
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.core.requests import client_ip
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import actor_for, record

logger = logging.getLogger(__name__)

# --- Signing in -------------------------------------------------------------------------------


class CouncilSignInStart(OIDCAuthenticationRequestView):
    """Send the person to their organisation's provider, with state, nonce and a PKCE
    challenge; the provider's id is kept beside them in the session for the callback."""

    http_method_names = ["get"]  # a link: a form's redirect to the provider would break the CSP's form-action

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads one provider from settings

    def get_settings(self, attr, *args):
        return council_sign_in.oidc_setting(attr, *args)

    def get(self, request, provider_id):
        provider = get_object_or_404(SignInProvider, pk=provider_id)
        try:
            found = council_sign_in.discovery(provider)
        except ProviderUnavailable as problem:
            return _problem(request, _("Your organisation's sign-in service is not available"), problem.message, 503)
        self.OIDC_OP_AUTH_ENDPOINT = found.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = provider.pk
        request.session.modified = True
        return response


class CouncilSignInCallback(OIDCAuthenticationCallbackView):
    """The provider's answer: the code exchanged (over the server's own connection) for tokens
    that are checked in full, then the person signed in, or told why not."""

    def get_settings(self, attr, *args):
        return council_sign_in.oidc_setting(attr, *args)

    def get(self, request):
        wait = rate_limits.hit("council_sign_in_per_address", client_ip(request))
        if wait:
            return rate_limits.too_many_requests(request, wait)
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        started = states.pop(state, None) if isinstance(states, dict) and state else None
        if started is not None:
            request.session.save()  # each state is used once, whatever happens next
        provider = SignInProvider.objects.filter(pk=(started or {}).get("provider")).first()
        if request.GET.get("error"):
            return _provider_said_no(request, provider, request.GET["error"])
        if provider is None or not request.GET.get("code"):
            return _problem(
                request,
                _("Your sign-in could not be completed"),
                _(
                    "This sign-in was not started from this browser, or it was already used or has expired. "
                    "Go back to the sign-in page and try again."
                ),
                400,
            )
        backend = CouncilSignInBackend()
        try:
            self.user = backend.authenticate(
                request,
                council_provider=provider,
                nonce=started.get("nonce"),
                code_verifier=started.get("code_verifier"),
            )
        except SignInRefused as refusal:
            return _problem(request, refusal.title, refusal.message, 403)
        except ProviderUnavailable as problem:
            return _problem(request, _("Your organisation's sign-in service is not available"), problem.message, 503)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError, ValueError) as error:
            logger.warning("Council sign-in through provider %s failed: %s", provider.pk, error)
            self.user = None
        if self.user is None:
            return _could_not_check(request)
        self.user.backend = council_sign_in.BACKEND
        response = self.login_success()
        council_sign_in.mark_session(request, provider)
        record(
            actor=actor_for(request),
            action=AuditEvent.Action.SIGNED_IN,
            summary=f"Signed in to the back office through {provider.name}",
        )
        return response


def _provider_said_no(request, provider, error: str):
    if error == "access_denied":
        text = _(
            "Your organisation's sign-in service did not sign you in: you cancelled, or your account is not "
            "allowed to use Book Your Place. Ask your administrator if you think it should be."
        )
    else:
        text = _(
            "Your organisation's sign-in service could not sign you in. Try again, or ask your administrator "
            "to check the council sign-in settings."
        )
    logger.info("Council sign-in provider %s answered %s", getattr(provider, "pk", None), error[:100])
    return _problem(request, _("You were not signed in"), text, 403)


def _could_not_check(request):
    return _problem(
        request,
        _("Your sign-in could not be completed"),
        _(
            "We could not confirm your sign-in with your organisation's sign-in service. Try again. If it "
            "keeps happening, ask your administrator to check the council sign-in settings."
        ),
        403,
    )


def _problem(request, title, text, status: int):
    return render(request, "backoffice/council_sign_in/problem.html", {"title": title, "text": text}, status=status)


# --- The administrators' pages ----------------------------------------------------------------


class ProviderForm(GovukForm):
    name = forms.CharField(
        label=gettext_lazy("Name on the sign-in button"),
        help_text=gettext_lazy("It follows “Sign in with”, for example “Coventry City Council account”."),
        max_length=100,
        error_messages={"required": gettext_lazy("Enter the name on the sign-in button")},
    )
    issuer = forms.CharField(
        label=gettext_lazy("Issuer URL"),
        help_text=gettext_lazy(
            "For Microsoft Entra ID: https://login.microsoftonline.com/<your tenant ID>/v2.0. "
            "Its discovery document (.well-known/openid-configuration) is read from there."
        ),
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the issuer URL")},
    )
    client_id = forms.CharField(
        label=gettext_lazy("Client ID"),
        help_text=gettext_lazy("In Entra ID: the application (client) ID of the app registration."),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the client ID")},
    )
    client_secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    email_domains = forms.CharField(
        label=gettext_lazy("Email domains allowed"),
        help_text=gettext_lazy("One a line, for example coventry.gov.uk. Leave empty to allow any."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
    )
    groups_claim = forms.CharField(
        label=gettext_lazy("Groups claim"),
        help_text=gettext_lazy("The claim of the ID token that lists the person's groups. In Entra ID: groups."),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    group_roles = forms.CharField(
        label=gettext_lazy("Groups and roles"),
        help_text=gettext_lazy(
            "One a line: the group, then =, then administrator, organiser or viewer. For example "
            "“0c6b5b8e-1f7a-4a55-9d1e-2b7c1e7f4a10 = organiser”. Someone in a group here gets an account "
            "with its role the first time they sign in."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    allow_assigned_roles = forms.ChoiceField(
        label=gettext_lazy("May someone in none of these groups sign in?"),
        choices=[
            ("yes", gettext_lazy("Yes, if an administrator has given them a role on the People page")),
            ("no", gettext_lazy("No, only people in one of the groups")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select whether someone in none of these groups may sign in")},
    )

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_secret"].help_text = (
            gettext_lazy("In Entra ID: a client secret's value, from Certificates & secrets.")
            if adding
            else gettext_lazy("Leave empty to keep the secret saved. It is never shown again.")
        )

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "issuer": data["issuer"],
            "client_id": data["client_id"],
            "client_secret": data["client_secret"],
            "email_domains": data["email_domains"],
            "groups_claim": data["groups_claim"],
            "group_roles": data["group_roles"],
            "allow_assigned_roles": data["allow_assigned_roles"] == "yes",
        }


def _provider_for(request, provider_id: int) -> SignInProvider:
    """A provider of this administrator's organisation (404 for anyone else's)."""
    require(permissions.can_manage_sign_in(request.user))
    organisers = permissions.organisers_for(request.user)
    return get_object_or_404(SignInProvider.objects.filter(organiser__in=organisers), pk=provider_id)


def _redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("backoffice:council_sign_in_callback"))


def _posted(request):
    return request.POST if request.method == "POST" else None


@staff_required
@require_safe
def providers(request):
    require(permissions.can_manage_sign_in(request.user))
    found = SignInProvider.objects.filter(organiser__in=permissions.organisers_for(request.user)).select_related(
        "organiser"
    )
    return render(
        request,
        "backoffice/council_sign_in/providers.html",
        {"providers": found, "redirect_uri": _redirect_uri(request)},
    )


@staff_required
def provider_new(request):
    require(permissions.can_manage_sign_in(request.user))
    organiser = organiser_for(request)
    if organiser is None:
        return redirect("backoffice:council_sign_in_providers")
    form = ProviderForm(
        _posted(request), adding=True, initial={"groups_claim": "groups", "allow_assigned_roles": "yes"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider = sign_in_providers.add_provider(organiser=organiser, actor=actor_for(request), **form.details())
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Council sign-in added: %(name)s.") % {"name": provider.name})
            return redirect("backoffice:council_sign_in_provider", provider_id=provider.pk)
    return render(
        request,
        "backoffice/council_sign_in/provider_form.html",
        {"form": form, "redirect_uri": _redirect_uri(request)},
    )


@staff_required
@require_safe
def provider(request, provider_id):
    found = _provider_for(request, provider_id)
    return render(
        request,
        "backoffice/council_sign_in/provider.html",
        {
            "provider": found,
            "redirect_uri": _redirect_uri(request),
            "group_roles": council_sign_in.parse_group_roles(found.group_roles),
        },
    )


@staff_required
def provider_edit(request, provider_id):
    found = _provider_for(request, provider_id)
    initial = {
        "name": found.name,
        "issuer": found.issuer,
        "client_id": found.client_id,
        "email_domains": found.email_domains,
        "groups_claim": found.groups_claim,
        "group_roles": found.group_roles,
        "allow_assigned_roles": "yes" if found.allow_assigned_roles else "no",
    }
    form = ProviderForm(_posted(request), adding=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_providers.change_provider(provider=found, actor=actor_for(request), **form.details())
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Council sign-in saved."))
            return redirect("backoffice:council_sign_in_provider", provider_id=found.pk)
    return render(
        request,
        "backoffice/council_sign_in/provider_form.html",
        {"form": form, "provider": found, "redirect_uri": _redirect_uri(request)},
    )


@staff_required
def provider_remove(request, provider_id):
    found = _provider_for(request, provider_id)
    if request.method == "POST":
        sign_in_providers.remove_provider(provider=found, actor=actor_for(request))
        messages.success(request, _("Council sign-in removed: %(name)s.") % {"name": found.name})
        return redirect("backoffice:council_sign_in_providers")
    return render(request, "backoffice/council_sign_in/provider_remove.html", {"provider": found})


@staff_required
@require_POST
def provider_check(request, provider_id):
    """Read the provider's discovery document now: a first check of the issuer URL."""
    found = _provider_for(request, provider_id)
    try:
        council_sign_in.discovery(found, refresh=True)
    except ProviderUnavailable as problem:
        errors.flash(request, problem)
    else:
        messages.success(
            request,
            _(
                "The provider's settings were read. Now test signing in: open a private window and choose "
                "“Sign in with %(name)s”."
            )
            % {"name": found.name},
        )
    return redirect("backoffice:council_sign_in_provider", provider_id=found.pk)
