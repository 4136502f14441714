"""Django's admin opens only to a superuser verified with their code, through the back
office's sign-in: it has none of its own."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.testing import PASSWORD
from bookyourplace.backoffice.tests.two_factor.steps import code_for, sign_in, sign_in_with_code

# --- 2. Django's admin -----------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@coventry.gov.uk", "root@coventry.gov.uk", PASSWORD)


@pytest.fixture
def superuser_device(superuser):
    return TOTPDevice.objects.create(user=superuser, name="Authenticator app", confirmed=True)


def test_the_admin_does_not_open_to_a_superusers_password_alone(client, superuser, superuser_device, person):
    sign_in(client, "root@coventry.gov.uk")  # the password step, through the back office
    change = reverse("admin:auth_user_change", args=[person.pk])

    for url in (reverse("admin:index"), change, reverse("admin:otp_totp_totpdevice_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), url
    client.post(change, {"username": person.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    person.refresh_from_db()
    assert not person.is_superuser

    forced = Client()
    forced.force_login(superuser)  # however the password was checked
    assert forced.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


def test_the_admin_opens_to_a_superuser_verified_with_their_code(client, superuser, superuser_device, person):
    sign_in_with_code(client, "root@coventry.gov.uk", superuser_device)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:auth_user_change", args=[person.pk])).status_code == 200


def test_the_admin_has_no_sign_in_of_its_own(client, superuser, superuser_device):
    # django-otp's admin sign-in would verify a session with a recovery code without telling
    # the owner or the audit log: the only way in is the back office's sign-in and code step.
    recovery = StaticDevice.objects.create(user=superuser, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    login = reverse("admin:login")

    page = client.get(login + "?next=/admin/auth/user/")
    assert page.status_code == 302
    assert page.url == reverse("backoffice:sign_in") + "?next=/admin/auth/user/"

    fields = {"username": "root@coventry.gov.uk", "password": PASSWORD}
    for device, token in ((superuser_device, code_for(superuser_device)), (recovery, "abcd2345")):
        posted = client.post(login, {**fields, "otp_device": device.persistent_id, "otp_token": token})
        assert posted.status_code == 302 and posted.url.startswith(reverse("backoffice:sign_in"))
        assert client.get(reverse("admin:index")).status_code == 302
    assert recovery.token_set.filter(token="abcd2345").exists()  # not spent
