"""An administrator resets a colleague's two-factor sign-in: only from a session verified
with their own code, and never their own."""

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.backoffice.tests.two_factor.steps import (
    ADMIN_EMAIL,
    EMAIL,
    SETUP,
    sends_to_code_step,
    sign_in,
    sign_in_with_code,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

# --- An administrator resets someone's two-factor -------------------------------------------------


def test_an_administrator_with_a_verified_session_resets_a_colleagues_two_factor(
    client, person, device, admin, admin_device, run_worker, settings
):
    settings.BYP_REQUIRE_TWO_FACTOR = True
    StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True).token_set.create(token="abcdefgh")
    sign_in_with_code(client, ADMIN_EMAIL, admin_device)
    member = person.staff
    people = client.get(reverse("backoffice:people"))
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": member.pk})
    assert f'href="{url}"' in people.content.decode()

    assert "Reset two-factor sign-in" in text_of(client.get(url))
    response = client.post(url)

    assert response.status_code == 302 and response.url == reverse("backoffice:people")
    assert "Two-factor sign-in of Priya Shah is reset" in text_of(client.get(response.url))
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()  # nor their recovery codes
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED_PERSON)
    assert event.actor == admin and event.summary == f"Reset the two-factor sign-in of Priya Shah <{EMAIL}>"
    run_worker()
    [message] = mail.outbox
    assert message.to == [EMAIL] and "An administrator reset two-factor sign-in" in message.body
    # They set up an authenticator again at their next sign-in.
    again = Client()
    assert sign_in(again).url == reverse("backoffice:dashboard")
    assert again.get(reverse("backoffice:dashboard")).url == SETUP


def test_an_administrator_signed_in_with_only_a_password_cannot_reset_two_factor(
    client, person, device, admin, admin_device
):
    sign_in(client, ADMIN_EMAIL)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": person.staff.pk})

    assert sends_to_code_step(client.get(url))
    assert sends_to_code_step(client.post(url))
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()


def test_an_administrator_without_two_factor_cannot_reset_anyone_elses(client, person, device, admin, run_worker):
    """With two-factor not required, such a session is allowed in, but it is only a password:
    it must not be able to strip a colleague's second factor."""
    sign_in(client, ADMIN_EMAIL)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": person.staff.pk})

    page = client.get(url)
    response = client.post(url)

    assert "Only an administrator who signed in with a code from their own authenticator app" in text_of(page)
    assert "Reset two-factor sign-in" not in text_of(page)  # no button
    assert response.status_code == 200
    assert "There is a problem Turn on two-factor sign-in for your own account" in text_of(response)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()
    run_worker()
    assert mail.outbox == []


def test_an_administrator_cannot_reset_their_own_two_factor_there(client, admin, admin_device):
    sign_in_with_code(client, ADMIN_EMAIL, admin_device)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": admin.staff.pk})

    assert "To change your own authenticator app, use Your account" in text_of(client.get(url))
    response = client.post(url)

    assert "You cannot reset your own two-factor sign-in here" in text_of(response)
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()
