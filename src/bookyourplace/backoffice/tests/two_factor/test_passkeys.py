"""Passkeys in the back office, over HTTP: Your account lists them, the code step offers them,
renaming and removing need a verified session, and the ceremonies' JSON endpoints refuse a
password-only session of an account with a second factor. The ceremonies themselves, with a
real browser and a virtual authenticator, are in backoffice/tests/browser/test_passkey_pages.py."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from bookyourplace.accounts.testing import make_passkey
from bookyourplace.backoffice.tests.two_factor.steps import (
    RECOVERY_CODES,
    SETUP,
    VERIFY,
    enter_code,
    sends_to_code_step,
    sign_in,
    sign_in_with_code,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

ACCOUNT = reverse("backoffice:account")
REGISTER_BEGIN = reverse("backoffice:passkey_register_begin")
SIGN_IN_BEGIN = reverse("backoffice:passkey_sign_in_begin")


def verified_with(client, device) -> None:
    """The session as django-otp leaves it once this passkey has been used at the code step."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def passkey(person):
    return make_passkey(person, name="Work laptop")


def test_your_account_lists_passkeys_with_when_added_and_last_used(client, person, passkey):
    passkey.last_used_at = timezone.now() - timedelta(days=1)
    passkey.save()
    make_passkey(person, name="Security key")
    sign_in(client)
    verified_with(client, passkey)

    page = text_of(client.get(ACCOUNT))

    assert "Work laptop" in page and "Security key" in page
    assert "Not used yet" in page  # the security key
    assert "To add a passkey, turn on JavaScript in your browser." in page


def test_the_page_tells_the_library_where_to_go_without_an_inline_script(client, person):
    sign_in(client)

    response = client.get(ACCOUNT)
    body = response.content.decode()

    config = json.loads(body.split('id="otp_webauthn_config" type="application/json">')[1].split("</script>")[0])
    assert config["beginRegistrationUrl"] == REGISTER_BEGIN
    assert '<script type="module" src="/static/django_otp_webauthn/otp_webauthn_register.js"' in body
    assert "passkey-registration-unavailable-template" in body
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_a_password_only_session_of_a_passkey_account_is_sent_to_the_code_step(client, person, passkey):
    sign_in(client)

    for url in (
        ACCOUNT,
        reverse("backoffice:passkey_rename", args=[passkey.pk]),
        reverse("backoffice:passkey_remove", args=[passkey.pk]),
    ):
        assert sends_to_code_step(client.get(url)), url
    assert sends_to_code_step(client.post(reverse("backoffice:passkey_remove", args=[passkey.pk])))
    assert passkey.__class__.objects.filter(pk=passkey.pk).exists()


def test_the_code_step_offers_the_passkey_beside_the_app(client, person, device, passkey):
    sign_in(client)

    page = client.get(VERIFY)

    assert "Use your passkey" in page.content.decode()
    assert "Or enter the code from your authenticator app" in text_of(page)
    assert "Code from your authenticator app" in text_of(page)


def test_with_only_a_passkey_the_code_step_offers_it_and_a_recovery_code(client, person, passkey):
    StaticToken.objects.create(device=StaticDevice.objects.create(user=person, name="Recovery codes"), token="abcd2345")
    sign_in(client)

    page = text_of(client.get(VERIFY))
    assert "I cannot use my passkey" in page and "Recovery code" in page
    assert "authenticator app" not in page.split("Confirm it is you", 1)[1].split("I cannot use my passkey")[0]

    wrong = client.post(VERIFY, {"code": "zzzz2345"})
    assert "That recovery code is wrong or has already been used" in text_of(wrong)
    StaticDevice.objects.filter(user=person).update(throttling_failure_count=0)  # no waiting after a wrong one
    right = client.post(VERIFY, {"code": "abcd2345"})
    assert right.status_code == 302 and not right.url.startswith(VERIFY)
    assert client.get(ACCOUNT).status_code == 200


def test_registering_needs_the_second_factor_first_when_there_is_one(client, person, device):
    sign_in(client)

    refused = client.post(REGISTER_BEGIN)

    assert refused.status_code == 403
    assert refused.json()["code"] == "user_not_verified"
    enter_code(client, device)
    allowed = client.post(REGISTER_BEGIN)
    assert allowed.status_code == 200
    assert allowed.json()["rp"] == {"name": "Book Your Place", "id": "testserver"}


def test_a_first_passkey_may_be_added_from_a_password_only_session(client, person):
    sign_in(client)

    options = client.post(REGISTER_BEGIN).json()

    assert options["user"]["name"] == person.email
    assert options["authenticatorSelection"]["residentKey"] == "preferred"


def test_the_code_step_asks_the_browser_for_this_accounts_passkeys_only(client, person, passkey, admin):
    make_passkey(admin, name="Hana's key")
    sign_in(client)

    options = client.post(SIGN_IN_BEGIN).json()

    assert len(options["allowCredentials"]) == 1


def test_the_ceremonies_are_for_staff_signed_in(client, django_user_model):
    assert client.post(REGISTER_BEGIN).url.startswith(reverse("backoffice:sign_in"))
    stray = django_user_model.objects.create_user("stray@example.org", "stray@example.org", "x")
    client.force_login(stray, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(SIGN_IN_BEGIN).status_code == 403


def test_a_first_passkey_comes_with_recovery_codes_shown_once(client, person, passkey):
    sign_in(client)
    verified_with(client, passkey)

    response = client.post(reverse("backoffice:passkey_added"))

    assert response.url == RECOVERY_CODES
    shown = client.get(RECOVERY_CODES).content.decode()
    assert shown.count('<code class="byp-key">') == 10
    again = client.post(reverse("backoffice:passkey_added"))
    assert again.url == ACCOUNT
    assert StaticToken.objects.filter(device__user=person).count() == 10


def test_renaming_and_removing_a_passkey_from_your_account(client, person, device, passkey, run_worker):
    sign_in_with_code(client, person.email, device)

    renamed = client.post(reverse("backoffice:passkey_rename", args=[passkey.pk]), {"name": ""})
    assert "Enter a name for the passkey" in text_of(renamed)
    client.post(reverse("backoffice:passkey_rename", args=[passkey.pk]), {"name": "Old phone"})
    assert "Old phone" in text_of(client.get(ACCOUNT))

    page = text_of(client.get(reverse("backoffice:passkey_remove", args=[passkey.pk])))
    assert "Remove Old phone?" in page and "This is your last passkey" not in page
    removed = client.post(reverse("backoffice:passkey_remove", args=[passkey.pk]), follow=True)

    assert "Passkey removed" in text_of(removed)
    assert "You have no passkeys yet." in text_of(removed)
    assert AuditEvent.objects.filter(summary__startswith="Removed the passkey Old phone").exists()
    run_worker()
    assert "A passkey was removed from your Book Your Place account" in [m.subject for m in mail.outbox]


def test_nobody_opens_someone_elses_passkey(client, person, device, admin):
    theirs = make_passkey(admin)
    sign_in_with_code(client, person.email, device)

    assert client.get(reverse("backoffice:passkey_rename", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("backoffice:passkey_remove", args=[theirs.pk])).status_code == 404


def test_setting_up_two_factor_offers_an_app_or_a_passkey(client, person, settings):
    settings.BYP_REQUIRE_TWO_FACTOR = True
    sign_in(client)

    page = client.get(SETUP)

    assert "Or use a passkey" in text_of(page)
    assert "passkey-registration-placeholder" in page.content.decode()


def test_an_administrators_reset_removes_the_persons_passkeys(client, person, passkey, admin, admin_device):
    sign_in_with_code(client, admin.email, admin_device)
    member = person.staff

    client.post(reverse("backoffice:person_reset_two_factor", args=[member.pk]))

    assert not passkey.__class__.objects.filter(user=person).exists()
