"""API tokens (administrators only): the "API and webhooks" page, create a token, revoke one.

A new token's secret is shown once, in the answer to the form that created it: it is never
stored (only its hash is, accounts/api_tokens.py) nor put in the session, and back-office
answers are never cached. Sending the same form again (a refresh, the back button, a double
press) creates nothing: each form carries a key that may be used once.
"""

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.accounts import api_tokens, permissions
from bookyourplace.accounts.models import ApiScope, ApiToken
from bookyourplace.backoffice.access import acting_organiser_or_404, require, staff_required
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Organiser, Session

# What each scope lets a system do, for the person choosing (its label says it in brief).
SCOPE_HINTS = {
    ApiScope.READ_BOOKINGS: gettext_lazy(
        "Names, email addresses, organisations and job titles of everyone booked on your sessions, and who is "
        "waiting for a place. Never their access needs."
    ),
    ApiScope.WRITE_BOOKINGS: gettext_lazy(
        "With the same rules and emails as your booking form. Choose this only for a system that books people in."
    ),
    ApiScope.READ_ATTENDANCE: gettext_lazy("Who came to each session, and who did not."),
    ApiScope.READ_REPORTS: gettext_lazy("The figures on your Reports page and feedback results. No names."),
}

# The expiry choices: their number of days (None: it works until revoked).
EXPIRY_DAYS = {"30": 30, "90": 90, "365": 365, "never": None}
EXPIRY_LENGTHS = {
    "30": gettext_lazy("30 days"),
    "90": gettext_lazy("90 days"),
    "365": gettext_lazy("1 year"),
    "never": gettext_lazy("Never"),
}
DEFAULT_EXPIRY = "90"

# Form keys already used in this browser session (the last few are enough to catch a resend).
_USED_FORM_KEYS = "api_token_form_keys"
_KEPT_FORM_KEYS = 20


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy(
            "Say what will use it, so you can tell your tokens apart later. For example, Learning records system."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter a name for the token"),
            "max_length": gettext_lazy("The name must be %(limit_value)d characters or fewer"),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it can do"),
        help_text=gettext_lazy(
            "Select only what the system needs. Anyone can already read your published programmes without a token."
        ),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Select at least one thing the token can do"),
            "invalid_choice": gettext_lazy("Select what the token can do from the list"),
        },
    )
    expiry = forms.ChoiceField(
        label=gettext_lazy("When it stops working"),
        help_text=gettext_lazy("You can revoke it at any time before then."),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select when the token stops working"),
            "invalid_choice": gettext_lazy("Select when the token stops working"),
        },
    )

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        today = timezone.localtime(now).date()
        self.fields["expiry"].choices = [(choice, self._expiry_label(choice, today)) for choice in EXPIRY_DAYS]

    @staticmethod
    def _expiry_label(choice: str, today: dt.date) -> str:
        days = EXPIRY_DAYS[choice]
        if days is None:
            return str(EXPIRY_LENGTHS[choice])
        until = formats.date_format(today + dt.timedelta(days=days), "j F Y")
        return _("%(length)s, until %(date)s") % {"length": EXPIRY_LENGTHS[choice], "date": until}

    def scope_options(self) -> list[dict]:
        """Each scope's checkbox with its id and hint, for the template. The first box has the
        field's id: the error summary links to it."""
        field = self["scopes"]
        return [
            {
                "widget": box,
                "id": field.auto_id if n == 0 else box.id_for_label,
                "hint": SCOPE_HINTS.get(box.data["value"], ""),
            }
            for n, box in enumerate(field.subwidgets)
        ]

    def expiry_options(self) -> list[dict]:
        hints = {"never": _("It works until you revoke it. Choose this only if someone will look after it.")}
        return [{"widget": radio, "hint": hints.get(radio.data["value"], "")} for radio in self["expiry"].subwidgets]

    def expires_at(self) -> dt.datetime | None:
        days = EXPIRY_DAYS[self.cleaned_data["expiry"]]
        return None if days is None else self.now + dt.timedelta(days=days)


def _organiser(request) -> Organiser:
    """The organiser whose tokens the page shows and creates: the one this person acts for."""
    return acting_organiser_or_404(request)


@staff_required
def integrations(request):
    require(permissions.can_manage_integrations(request.user))
    organiser = _organiser(request)
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(organiser=organiser).select_related("created_by", "revoked_by"))
    for token in tokens:
        token.status = api_tokens.status_of(token, now=now)
        token.can = api_tokens.scope_labels(token.scopes)
    return render(
        request,
        "backoffice/api_tokens/integrations.html",
        {"tokens": tokens, "webhooks_url": reverse("backoffice:webhooks"), "api_docs_url": "/api/docs"},
    )


def _first_use_of(request, form_key: str) -> bool:
    """Whether this form is sent for the first time (and mark it sent). A form without a key
    (sent by something other than the page) is taken as new."""
    if not form_key:
        return True
    used = request.session.get(_USED_FORM_KEYS, [])
    if form_key in used:
        return False
    request.session[_USED_FORM_KEYS] = [*used[-(_KEPT_FORM_KEYS - 1) :], form_key]
    return True


@staff_required
def api_token_new(request):
    require(permissions.can_manage_integrations(request.user))
    organiser = _organiser(request)
    form = ApiTokenForm(request.POST or None, now=timezone.now(), initial={"expiry": DEFAULT_EXPIRY})
    form_key = request.POST.get("form_key", "")[:64] if request.method == "POST" else secrets.token_urlsafe(16)
    if request.method == "POST" and form.is_valid():
        if not _first_use_of(request, form_key):
            messages.info(
                request,
                _(
                    "That form was sent before, and its token was shown then: it cannot be shown again. "
                    "If you did not copy it, revoke it and create another."
                ),
            )
            return redirect("backoffice:integrations")
        token, secret = api_tokens.create_token(
            organiser=organiser,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
            actor=actor_for(request),
        )
        return render(
            request,
            "backoffice/api_tokens/created.html",
            {
                "token": token,
                "secret": secret,
                "can": api_tokens.scope_labels(token.scopes),
                "can_read_bookings": api_tokens.has_scope(token, ApiScope.READ_BOOKINGS),
                "example": _example_command(organiser, secret),
                "api_docs_url": "/api/docs",
            },
        )
    return render(request, "backoffice/api_tokens/new.html", {"form": form, "form_key": form_key})


def _example_command(organiser: Organiser, secret: str) -> dict:
    """A curl command that lists the bookings of one of the organiser's sessions (the next one)."""
    sessions = Session.objects.filter(programme__organiser=organiser)
    session_id = (
        sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at").values_list("pk", flat=True).first()
        or sessions.order_by("-starts_at").values_list("pk", flat=True).first()
    )
    shown_id = str(session_id) if session_id else "SESSION_ID"
    url = f"{settings.SITE_URL}/api/bookings?session={shown_id}"
    return {
        "command": f'curl -H "Authorization: Bearer {secret}" "{url}"',
        "session_id": session_id,
    }


@staff_required
def api_token_revoke(request, token_id):
    """GET asks to confirm; POST revokes: anything using the token is refused from then on."""
    require(permissions.can_manage_integrations(request.user))
    token = get_object_or_404(
        ApiToken.objects.filter(organiser=acting_organiser_or_404(request)).select_related("created_by", "revoked_by"),
        pk=token_id,
    )
    if request.method == "POST":
        if token.revoked_at is not None:
            messages.info(request, _("The API token “%(name)s” was already revoked.") % {"name": token.name})
        else:
            api_tokens.revoke_token(token=token, actor=actor_for(request))
            messages.success(
                request,
                _("The API token “%(name)s” is revoked. Anything using it can no longer reach your data.")
                % {"name": token.name},
            )
        return redirect("backoffice:integrations")
    token.status = api_tokens.status_of(token)
    token.can = api_tokens.scope_labels(token.scopes)
    return render(request, "backoffice/api_tokens/revoke.html", {"token": token})
