"""Recovery codes: shown once, each signs in once, and only a verified session makes new ones."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.backoffice.tests.two_factor.steps import (
    EMAIL,
    RECOVERY_CODES,
    SETUP,
    VERIFY,
    code_for,
    sends_to_code_step,
    sign_in,
    sign_in_with_code,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

# --- Recovery codes --------------------------------------------------------------------------------


def recovery_codes_on(page) -> list[str]:
    return re.findall(r'<code class="byp-key">([a-z2-7]{8})</code>', page.content.decode())


def test_recovery_codes_are_shown_once_and_each_signs_in_once(client, person, run_worker):
    sign_in(client)
    client.get(SETUP)
    client.post(SETUP, {"code": code_for(TOTPDevice.objects.get(user=person))})

    codes = recovery_codes_on(client.get(RECOVERY_CODES))
    again = client.get(RECOVERY_CODES)

    assert len(set(codes)) == 10
    assert recovery_codes_on(again) == [] and "You have 10 recovery codes left" in text_of(again)
    phone_lost = Client()
    sign_in(phone_lost)
    response = phone_lost.post(VERIFY, {"code": codes[3].upper()})
    assert response.status_code == 302 and response.url == reverse("backoffice:dashboard")
    assert phone_lost.get(response.url).status_code == 200
    assert AuditEvent.objects.filter(summary__contains="signed in with a recovery code (9 left)").exists()
    run_worker()
    told = [m for m in mail.outbox if "recovery code was used" in m.subject]
    assert [m.to for m in told] == [[EMAIL]] and "you have 9 left" in told[0].body
    used_again = Client()
    sign_in(used_again)
    assert "That code is wrong or has expired" in text_of(used_again.post(VERIFY, {"code": codes[3]}))
    assert sends_to_code_step(used_again.get(reverse("backoffice:dashboard")))


def test_a_password_only_session_cannot_make_new_recovery_codes(client, person, device):
    sign_in(client)

    assert sends_to_code_step(client.get(RECOVERY_CODES))
    assert sends_to_code_step(client.post(RECOVERY_CODES))
    assert not AuditEvent.objects.filter(summary__startswith="Made new recovery codes").exists()


def test_new_recovery_codes_replace_the_old_ones(client, person, device):
    sign_in_with_code(client, EMAIL, device)
    client.post(RECOVERY_CODES)
    old = recovery_codes_on(client.get(RECOVERY_CODES))

    client.post(RECOVERY_CODES)
    new = recovery_codes_on(client.get(RECOVERY_CODES))

    assert len(old) == len(new) == 10 and not set(old) & set(new)
    elsewhere = Client()
    sign_in(elsewhere)
    assert elsewhere.post(VERIFY, {"code": old[0]}).status_code == 200  # refused: the form again
    StaticDevice.objects.update(throttling_failure_count=0)  # django-otp slows the next try after a wrong code
    assert elsewhere.post(VERIFY, {"code": new[0]}).status_code == 302
