"""Certificates of attendance: the attendee's download, and the public check of a code.

The check shows only whose certificate it is, for which session and day, and whether it
stands: anyone holding a printed certificate may check it, so nothing else of the booking is
shown. Each check counts against a limit per client address, so codes cannot be guessed.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from bookyourplace.certificates import codes
from bookyourplace.certificates.errors import NoCertificate
from bookyourplace.certificates.pdf import download_certificate
from bookyourplace.certificates.services import find_certificate
from bookyourplace.certificates.services import verify as verify_certificate
from bookyourplace.core import rate_limits
from bookyourplace.core.forms import GovukForm
from bookyourplace.core.requests import client_ip
from bookyourplace.privacy.services import actor_for
from bookyourplace.public.views import _allow, _booking_from_token, _private

CHECKS = "certificate_checks_per_address"


class CertificateLookupForm(GovukForm):
    code = forms.CharField(
        label=gettext_lazy("Enter the certificate code"),
        help_text=gettext_lazy("It is printed on the certificate, beside the QR code. For example, 7K3M-9QXD-2F."),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10 govuk-input--extra-letter-spacing",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
        error_messages={
            "required": gettext_lazy("Enter the certificate code"),
            "max_length": gettext_lazy("Enter the certificate code as it is printed, like 7K3M-9QXD-2F"),
        },
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                gettext_lazy("Enter the certificate code as it is printed: 10 letters and numbers, like 7K3M-9QXD-2F")
            )
        self.certificate = find_certificate(code)
        if self.certificate is None:
            raise forms.ValidationError(
                gettext_lazy("No certificate has this code. Check it against the certificate and try again")
            )
        return code


@_allow("GET", "HEAD")
def download(request, token):
    booking = _booking_from_token(token)
    try:
        file = download_certificate(booking=booking, actor=actor_for(request, label=booking.full_name))
    except NoCertificate as refusal:
        session = booking.session
        context = {
            "message": refusal.message,
            "token": token,
            "session": session,
            "programme": session.programme,
            "organiser": session.programme.organiser,
        }
        return _private(render(request, "public/certificate_unavailable.html", context, status=404))
    response = HttpResponse(file.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return _private(response)


@_allow("GET", "HEAD", "POST")
@rate_limits.limit_posts((CHECKS, client_ip))
def lookup(request):
    form = CertificateLookupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return redirect("public:certificate_verify", code=form.certificate.grouped_code)
    response = render(request, "public/certificate_lookup.html", {"form": form})
    response["Cache-Control"] = "private, no-store"
    return response


@_allow("GET", "HEAD")
def verify(request, code):
    wait = rate_limits.hit(CHECKS, client_ip(request))
    if wait:
        return rate_limits.too_many_requests(request, wait)
    certificate = find_certificate(code)
    if certificate is None:
        return _private(render(request, "public/certificate_not_found.html", status=404))
    if code != certificate.grouped_code:
        # Typed by hand into the address bar: shown at the address printed on the certificate.
        return _private(redirect("public:certificate_verify", code=certificate.grouped_code))
    context = {"verification": verify_certificate(certificate)}
    return _private(render(request, "public/certificate_verify.html", context))
