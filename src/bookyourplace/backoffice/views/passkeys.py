"""Passkeys on Your account (list, add, rename, remove) and the WebAuthn ceremonies behind the
"Add a passkey" and "Use your passkey" buttons.

The ceremonies are django-otp-webauthn's views (JSON, driven by its JavaScript), open only to a
signed-in member of staff; the library itself refuses to add a passkey from a password-only
session of an account that has a second factor, and marks the session verified with the
passkey used at the code step, as a code does. The rules are in accounts/passkeys.py.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware import csrf
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from bookyourplace.accounts import passkeys, permissions
from bookyourplace.accounts import services as accounts
from bookyourplace.accounts.errors import TwoFactorError
from bookyourplace.backoffice.access import safe_next, staff_required
from bookyourplace.backoffice.errors import add_to_form, flash
from bookyourplace.backoffice.views.auth import _show_once
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for


def signed_in_staff(view):
    """Signed in (else to sign-in) and on the staff (else 403); the second factor is not yet
    asked for, as these run at the code step too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class CompleteSignIn(webauthn.CompleteCredentialAuthenticationView):
    def get_success_url(self):
        # The same check of `next` as every other step of signing in.
        return safe_next(self.request)


register_begin = signed_in_staff(webauthn.BeginCredentialRegistrationView.as_view())
register_complete = signed_in_staff(webauthn.CompleteCredentialRegistrationView.as_view())
sign_in_begin = signed_in_staff(webauthn.BeginCredentialAuthenticationView.as_view())
sign_in_complete = signed_in_staff(CompleteSignIn.as_view())
# The library's JavaScript asks for its words through Django's catalog.
js_catalog = signed_in_staff(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))


def ceremony_config(request) -> dict:
    """What the library's JavaScript reads from the page (as JSON: no inline script)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginRegistrationUrl": reverse("backoffice:passkey_register_begin"),
        "completeRegistrationUrl": reverse("backoffice:passkey_register_complete"),
        "beginAuthenticationUrl": reverse("backoffice:passkey_sign_in_begin"),
        "completeAuthenticationUrl": reverse("backoffice:passkey_sign_in_complete"),
    }


@require_POST
@staff_required
def passkey_added(request):
    """Where the page goes once the browser and the server have added a passkey. The first
    second factor of an account comes with recovery codes, shown once."""
    if not passkeys.has_passkey(request.user):
        return redirect("backoffice:account")
    if accounts.recovery_codes_left(request.user) == 0:
        _show_once(request, accounts.new_recovery_codes(user=request.user, actor=actor_for(request)))
        messages.success(request, _("Your passkey is added. Keep these recovery codes somewhere safe."))
        return redirect("backoffice:recovery_codes")
    messages.success(request, _("Your passkey is added. You can use it instead of a code when you sign in."))
    return redirect("backoffice:account")


class RenameForm(GovukForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("So you can tell your passkeys apart, for example “Work laptop”."),
        max_length=passkeys.NAME_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Enter a name for the passkey"),
            "max_length": gettext_lazy("The name must be 64 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


def _own_passkey(request, passkey_id: int) -> passkeys.Passkey:
    passkey = passkeys.passkey_of(user=request.user, passkey_id=passkey_id)
    if passkey is None:
        raise Http404("No such passkey")
    return passkey


@staff_required
def passkey_rename(request, passkey_id: int):
    passkey = _own_passkey(request, passkey_id)
    form = RenameForm(request.POST or None, initial={"name": passkey.name})
    if request.method == "POST" and form.is_valid():
        try:
            passkeys.rename_passkey(
                user=request.user, passkey_id=passkey.id, name=form.cleaned_data["name"], actor=actor_for(request)
            )
        except TwoFactorError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Passkey renamed."))
            return redirect("backoffice:account")
    return render(request, "backoffice/passkeys/rename.html", {"form": form, "passkey": passkey})


@staff_required
def passkey_remove(request, passkey_id: int):
    """Remove a passkey: a page that asks, then the POST. staff_required has already sent a
    password-only session to the code step (the account has a second factor: this passkey)."""
    passkey = _own_passkey(request, passkey_id)
    if request.method == "POST":
        try:
            change = passkeys.remove_passkey(user=request.user, passkey_id=passkey.id, actor=actor_for(request))
        except TwoFactorError as error:
            flash(request, error)
            return redirect("backoffice:account")
        if change == passkeys.PasskeyChange.REMOVED_LAST:
            messages.success(request, _("Passkey removed. Two-factor sign-in is now off."))
        else:
            messages.success(request, _("Passkey removed. It can no longer be used to sign in."))
        return redirect("backoffice:account")
    last = len(passkeys.passkeys_of(request.user)) == 1 and not passkeys.has_authenticator_app(request.user)
    return render(request, "backoffice/passkeys/remove.html", {"passkey": passkey, "last": last})
