"""The two steps of signing in to the back office (the password, then the code from an
authenticator app), as the two-factor tests take them."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.testing import PASSWORD

EMAIL = "priya.shah@coventry.gov.uk"
ADMIN_EMAIL = "hana.ali@coventry.gov.uk"
VERIFY = reverse("backoffice:verify")
SETUP = reverse("backoffice:two_factor_setup")
RECOVERY_CODES = reverse("backoffice:recovery_codes")


def code_for(device) -> str:
    return f"{totp(device.bin_key):06d}"


def sign_in(client, email=EMAIL, **data):
    """The password step, as the sign-in form posts it."""
    return client.post(reverse("backoffice:sign_in"), {"username": email, "password": PASSWORD, **data})


def enter_code(client, device, url=VERIFY):
    # A TOTP code is accepted once per 30 seconds; a test may need the same device twice.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return client.post(url, {"code": code_for(device)})


def sign_in_with_code(client, email, device) -> None:
    sign_in(client, email)
    response = enter_code(client, device)
    assert response.status_code == 302 and not response.url.startswith(VERIFY)


def sends_to_code_step(response) -> bool:
    return response.status_code == 302 and response.url.startswith(VERIFY + "?next=")
