"""The two-factor rules on their own: who may add, replace or reset an authenticator.

`request.user.is_verified()` is what django-otp's middleware gives a request; here it is set
by hand, as verified or not."""

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts import services
from bookyourplace.accounts.errors import TwoFactorError
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor


def as_session(user, *, verified: bool):
    user.is_verified = lambda: verified
    return user


def code_for(device) -> str:
    return f"{totp(device.bin_key):06d}"


def test_an_unconfirmed_device_is_not_an_authenticator(member):
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=False)

    assert not services.has_authenticator(member.user)
    assert services.may_change_own_authenticator(as_session(member.user, verified=False))


def test_a_password_only_session_cannot_start_or_confirm_a_new_authenticator(member):
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    pending = TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=False)
    user = as_session(member.user, verified=False)

    with pytest.raises(TwoFactorError):
        services.pending_authenticator(user=user)
    with pytest.raises(TwoFactorError):
        services.confirm_authenticator(user=user, device=pending, code=code_for(pending), actor=Actor(user=user))

    assert TOTPDevice.objects.filter(user=member.user, confirmed=True).count() == 1
    pending.refresh_from_db()
    assert not pending.confirmed


def test_a_wrong_code_changes_nothing(member):
    old = TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    user = as_session(member.user, verified=True)
    pending = services.pending_authenticator(user=user)
    wrong = next(c for c in ("000000", "111111", "222222") if c != code_for(pending))

    assert services.confirm_authenticator(user=user, device=pending, code=wrong, actor=Actor(user=user)) is None
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    assert not AuditEvent.objects.exists()


def test_reset_needs_the_administrators_own_verified_session(member, admin, run_worker):
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)

    with pytest.raises(TwoFactorError, match="Turn on two-factor sign-in for your own account"):
        services.reset_two_factor(member=member, actor=Actor(user=as_session(admin.user, verified=False)))
    assert services.has_authenticator(member.user)

    services.reset_two_factor(
        member=member, actor=Actor(user=as_session(admin.user, verified=True), ip_address="192.0.2.7")
    )

    assert not TOTPDevice.objects.filter(user=member.user).exists()
    event = AuditEvent.objects.get()
    assert event.actor == admin.user and event.ip_address == "192.0.2.7" and event.subject_id == str(member.pk)
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam@coventry.gov.uk"]]
    assert mail.outbox[0].subject == "Two-factor sign-in was reset for your Book Your Place account"


def test_reset_refuses_an_account_without_two_factor(member, admin):
    with pytest.raises(TwoFactorError, match="already off"):
        services.reset_two_factor(member=member, actor=Actor(user=as_session(admin.user, verified=True)))
    assert not AuditEvent.objects.exists()
