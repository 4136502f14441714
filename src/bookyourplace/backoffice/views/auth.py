"""Signing in and out, the second factor, and resetting a forgotten password."""

from base64 import b32encode
from io import BytesIO

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from bookyourplace.accounts import passkeys
from bookyourplace.accounts import services as accounts
from bookyourplace.accounts.errors import TwoFactorError
from bookyourplace.backoffice.access import safe_next, staff_required, to_code_step
from bookyourplace.core import rate_limits
from bookyourplace.core.forms import GovukForm
from bookyourplace.core.requests import client_ip
from bookyourplace.core.site import site_netloc
from bookyourplace.notifications.account_emails import queue_account_email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import actor_for, record


class SignInForm(GovukForm, AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter your email address")},
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Enter your password")},
    )
    error_messages = {
        "invalid_login": gettext_lazy("Enter a correct email address and password. Both are case-sensitive."),
        "inactive": gettext_lazy("This account has been switched off. Ask an administrator."),
    }


class SignInView(auth_views.LoginView):
    template_name = "backoffice/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        return safe_next(self.request, fallback=None)

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            actor=actor_for(self.request), action=AuditEvent.Action.SIGNED_IN, summary="Signed in to the back office"
        )
        return response


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("backoffice:sign_in")


class CodeForm(GovukForm):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy("The 6-digit code shown in the app, for example 123456."),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
        error_messages={"required": gettext_lazy("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "")


class SignInCodeForm(CodeForm):
    """The code step, which also takes a recovery code (letters and digits, so no numeric keypad)."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy(
            "The 6-digit code shown in the app, for example 123456. If you do not have your phone, "
            "enter one of your recovery codes instead."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": gettext_lazy("Enter the 6-digit code from your authenticator app")},
    )
    wrong_code = gettext_lazy(
        "That code is wrong or has expired. Enter the code the app shows now, or a recovery code you have not used"
    )


class RecoveryCodeForm(SignInCodeForm):
    """The code step of an account whose only second factor is a passkey, for when it is not at hand."""

    code = forms.CharField(
        label=gettext_lazy("Recovery code"),
        help_text=gettext_lazy("One of the recovery codes you were given when you added your passkey."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}),
        error_messages={"required": gettext_lazy("Enter one of your recovery codes")},
    )
    wrong_code = gettext_lazy("That recovery code is wrong or has already been used. Enter one you have not used")


@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a passkey
    (accounts/passkeys.py; its button is answered by backoffice/views/passkeys.py)."""
    if not accounts.has_authenticator(request.user):
        return redirect(safe_next(request))
    has_app, has_passkey = passkeys.has_authenticator_app(request.user), passkeys.has_passkey(request.user)
    form = (RecoveryCodeForm if has_passkey and not has_app else SignInCodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.verify_sign_in_code(
            user=request.user, code=form.cleaned_data["code"], actor=actor_for(request)
        )
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request))
        form.add_error("code", form.wrong_code)
    return render(request, "backoffice/verify.html", {"form": form, "has_app": has_app, "has_passkey": has_passkey})


@login_required
def two_factor_setup(request):
    """Add an authenticator app, or replace it: scan the QR code (or type the key), then
    confirm a code. With an authenticator already set up, only a session verified with its
    code may get this far (else the password alone would replace the second factor)."""
    if not accounts.may_change_own_authenticator(request.user):
        return to_code_step(request)
    device = accounts.pending_authenticator(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = accounts.confirm_authenticator(
                user=request.user, device=device, code=form.cleaned_data["code"], actor=actor_for(request)
            )
        except TwoFactorError:
            return to_code_step(request)
        if change is not None:
            otp_login(request, device)
            if change == accounts.TwoFactorChange.REPLACED:
                messages.success(
                    request, _("Your new authenticator app is set up. Codes from the old one no longer work.")
                )
            else:
                messages.success(request, _("Two-factor sign-in is on. You will need a code each time you sign in."))
            _show_once(request, accounts.new_recovery_codes(user=request.user, actor=actor_for(request)))
            return redirect("backoffice:recovery_codes")
        form.add_error("code", _("That code is wrong or has expired. Enter the code the app shows now"))
    svg = BytesIO()
    segno.make(device.config_url, micro=False).save(
        svg, kind="svg", scale=4, xmldecl=False, svgns=True, title=_("QR code for your authenticator app")
    )
    key = b32encode(device.bin_key).decode()
    context = {"form": form, "qr_svg": mark_safe(svg.getvalue().decode()), "key": key}
    return render(request, "backoffice/two_factor_setup.html", context)


RECOVERY_CODES_KEY = "byp_recovery_codes"


def _show_once(request, codes: list[str]) -> None:
    # Kept in the session only until the next page shows them, so a refresh does not make new ones.
    request.session[RECOVERY_CODES_KEY] = codes


@staff_required
def recovery_codes(request):
    """New recovery codes, shown once; POST makes a new set (the old ones stop working)."""
    if not accounts.has_authenticator(request.user):
        return redirect("backoffice:account")
    if request.method == "POST":
        _show_once(request, accounts.new_recovery_codes(user=request.user, actor=actor_for(request)))
        return redirect("backoffice:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    return render(
        request, "backoffice/recovery_codes.html", {"codes": codes, "left": accounts.recovery_codes_left(request.user)}
    )


@staff_required
def account(request):
    return render(
        request,
        "backoffice/account.html",
        {
            "has_two_factor": accounts.has_authenticator(request.user),
            "recovery_codes_left": accounts.recovery_codes_left(request.user),
            "two_factor_required": settings.BYP_REQUIRE_TWO_FACTOR,
        },
    )


class ResetRequestForm(GovukForm, PasswordResetForm):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        # Sent by the worker, never inside the request.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_account_email(to=to_email, subject=subject, body=body)


class NewPasswordForm(GovukForm, SetPasswordForm):
    pass


# Each request counts by client address and by the address typed, whether or not it has an
# account, so the limit says nothing about who has one.
@method_decorator(
    rate_limits.limit_posts(
        ("password_reset_per_address", client_ip), ("password_reset_per_email", rate_limits.posted("email"))
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "backoffice/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "backoffice/email/password_reset.txt"
    subject_template_name = "backoffice/email/password_reset_subject.txt"
    success_url = reverse_lazy("backoffice:password_reset_sent")

    def get_extra_email_context(self):
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form):
        form.save(
            domain_override=site_netloc(),
            use_https=settings.SITE_URL.startswith("https"),
            subject_template_name=self.subject_template_name,
            email_template_name=self.email_template_name,
            extra_email_context=self.get_extra_email_context(),
            request=self.request,
        )
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "backoffice/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("backoffice:sign_in")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed. Sign in with your new password."))
        return response


def password_reset_sent(request):
    return render(request, "backoffice/password_reset_sent.html", {"sign_in_url": reverse("backoffice:sign_in")})
