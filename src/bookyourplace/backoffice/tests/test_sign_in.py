"""Signing in to the back office: passwords, lockout after repeated failures, resetting a
forgotten password, and two-factor sign-in with an authenticator app."""

import os
import re
import subprocess
import sys
from base64 import b32encode
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import PASSWORD, make_person
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

EMAIL = "priya.shah@coventry.gov.uk"
SRC = Path(__file__).resolve().parents[3]


@pytest.fixture
def person(organiser, programme):
    return make_person(organiser, Role.ORGANISER, email=EMAIL, programmes=(programme,)).user


def sign_in(client, password=PASSWORD, **extra):
    return client.post(reverse("backoffice:sign_in"), {"username": EMAIL, "password": password}, **extra)


def code_now(device) -> str:
    return f"{totp(device.bin_key):06d}"


def a_wrong_code(device) -> str:
    """A code the device will not accept at any moment near now."""
    window = {f"{totp(device.bin_key, t0=offset):06d}" for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in window)


# --- Password -------------------------------------------------------------------------------


def test_signing_in_reaches_the_dashboard_and_is_audited(client, person):
    response = sign_in(client)

    assert response.status_code == 302 and response.url == reverse("backoffice:dashboard")
    assert "Coventry Prevent Week" in text_of(client.get(response.url))
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN)
    assert event.actor == person and event.ip_address == "127.0.0.1"


def test_a_wrong_password_shows_the_error_summary(client, person):
    response = sign_in(client, password="not-my-password")
    page = text_of(response)

    assert response.status_code == 200
    assert "There is a problem Enter a correct email address and password. Both are case-sensitive." in page
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).exists()


def test_too_many_failures_lock_the_account_out_from_that_address(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="guess").status_code == 200
    assert sign_in(client, password="guess").status_code == 429  # the fifth failure locks

    response = sign_in(client)  # even the right password

    assert response.status_code == 429
    assert "Too many attempts to sign in" in text_of(response)
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    # The lock is on this account from this address: the same person elsewhere can still sign in.
    elsewhere = client.__class__(REMOTE_ADDR="198.51.100.23")
    assert sign_in(elsewhere).status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, password="guess")
    assert sign_in(client).status_code == 302
    client.post(reverse("backoffice:sign_out"))

    assert sign_in(client, password="guess").status_code == 200  # counting starts again


def test_production_hashes_passwords_with_argon2():
    """The test settings use a fast hasher; this checks the production settings module itself."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "BYP_TESTING", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bookyourplace.settings",
        SECRET_KEY="production-like-secret-key-for-this-check-only-0123456789",
        PYTHONPATH=str(SRC),
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth.hashers import get_hasher, make_password\n"
        "print(settings.PASSWORD_HASHERS[0]); print(get_hasher().algorithm); print(make_password('x').split('$')[0])\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "argon2", "argon2"]


# --- Forgotten password ---------------------------------------------------------------------


def test_resetting_a_forgotten_password(client, person, run_worker):
    response = client.post(reverse("backoffice:password_reset"), {"email": EMAIL})

    assert response.status_code == 302 and response.url == reverse("backoffice:password_reset_sent")
    assert mail.outbox == []  # nothing is sent inside the request
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"http://testserver(/backoffice/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)

    form_url = client.get(link).url
    new_password = "a-brand-new-password-for-priya"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response.url == reverse("backoffice:sign_in")
    assert "Your password has been changed" in text_of(client.get(response.url))

    assert sign_in(client, password=PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(client, password=new_password).url == reverse("backoffice:dashboard")


def test_a_reset_link_works_once(client, person, run_worker):
    client.post(reverse("backoffice:password_reset"), {"email": EMAIL})
    run_worker()
    link = re.search(r"http://testserver(/backoffice/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "a-brand-new-password-1", "new_password2": "a-brand-new-password-1"})

    again = client.__class__().get(link, follow=True)

    assert "This link has expired" in text_of(again)
    assert "Save the new password" not in text_of(again)


def test_asking_for_an_unknown_address_sends_nothing_and_says_the_same(client, person, run_worker):
    response = client.post(reverse("backoffice:password_reset"), {"email": "nobody@coventry.gov.uk"})
    run_worker()

    assert response.status_code == 302 and response.url == reverse("backoffice:password_reset_sent")
    assert mail.outbox == []


# --- Two-factor sign-in ---------------------------------------------------------------------


@pytest.fixture
def device(person):
    return TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)


def test_with_an_authenticator_the_password_alone_does_not_open_the_back_office(client, person, device):
    response = sign_in(client, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("backoffice:verify"))
    assert "Enter the code from your authenticator app" in text_of(response)
    for name in ("backoffice:dashboard", "backoffice:account"):
        assert client.get(reverse(name)).url.startswith(reverse("backoffice:verify"))


def test_the_right_code_opens_the_back_office(client, person, device):
    sign_in(client)

    response = client.post(reverse("backoffice:verify") + "?next=/backoffice/", {"code": code_now(device)})

    assert response.status_code == 302 and response.url == "/backoffice/"
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_a_wrong_code_is_explained_and_opens_nothing(client, person, device):
    sign_in(client)

    response = client.post(reverse("backoffice:verify"), {"code": a_wrong_code(device)})

    assert response.status_code == 200
    assert "That code is wrong or has expired" in text_of(response)
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert client.get(reverse("backoffice:dashboard")).status_code == 302


def test_when_two_factor_is_required_a_person_without_it_is_sent_to_set_it_up(client, person, settings):
    settings.BYP_REQUIRE_TWO_FACTOR = True

    response = sign_in(client, follow=True)

    assert response.redirect_chain[-1][0] == reverse("backoffice:two_factor_setup")
    assert client.get(reverse("backoffice:dashboard")).url == reverse("backoffice:two_factor_setup")


def test_setting_up_two_factor_sign_in(client, person, settings):
    settings.BYP_REQUIRE_TWO_FACTOR = True
    sign_in(client)

    response = client.get(reverse("backoffice:two_factor_setup"))
    device = TOTPDevice.objects.get(user=person)
    html = response.content.decode()

    assert response.status_code == 200 and not device.confirmed
    assert "<svg" in html and "QR code for your authenticator app" in html
    assert b32encode(device.bin_key).decode() in text_of(response)
    response = client.post(reverse("backoffice:two_factor_setup"), {"code": code_now(device)})
    assert response.status_code == 302 and response.url == reverse("backoffice:recovery_codes")
    device.refresh_from_db()
    assert device.confirmed
    assert "Two-factor sign-in is on" in text_of(client.get(response.url))
    assert "Two-factor sign-in On" in text_of(client.get(reverse("backoffice:account")))
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_setting_up_with_a_wrong_code_leaves_it_off(client, person):
    sign_in(client)
    client.get(reverse("backoffice:two_factor_setup"))
    device = TOTPDevice.objects.get(user=person)

    response = client.post(reverse("backoffice:two_factor_setup"), {"code": a_wrong_code(device)})

    assert "That code is wrong or has expired" in text_of(response)
    device.refresh_from_db()
    assert not device.confirmed
