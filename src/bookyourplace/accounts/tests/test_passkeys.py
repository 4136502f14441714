"""The passkey rules on their own: a passkey counts as a second factor, is renamed and removed
only by its owner from a verified session, and every change is audited and emailed.

`request.user.is_verified()` is what django-otp's middleware gives a request; here it is set
by hand, as verified or not. The browser ceremonies are in backoffice/tests/browser/test_passkey_pages.py."""

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from bookyourplace.accounts import passkeys, services
from bookyourplace.accounts.errors import TwoFactorError
from bookyourplace.accounts.testing import make_passkey
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor


def as_session(user, *, verified: bool):
    user.is_verified = lambda: verified
    return user


def test_a_passkey_alone_is_a_second_factor(member):
    make_passkey(member.user)

    assert services.has_authenticator(member.user)
    assert passkeys.has_passkey(member.user)
    assert not passkeys.has_authenticator_app(member.user)
    # With one, a password-only session may no longer change the second factor.
    assert not services.may_change_own_authenticator(as_session(member.user, verified=False))


def test_the_owner_sees_their_passkeys_by_name_and_nobody_elses(member, admin):
    make_passkey(member.user, name="Work laptop")
    make_passkey(member.user, name="Security key")
    theirs = make_passkey(admin.user, name="Hana's phone")

    assert [p.name for p in passkeys.passkeys_of(member.user)] == ["Work laptop", "Security key"]
    assert passkeys.passkey_of(user=member.user, passkey_id=theirs.pk) is None


def test_a_password_only_session_cannot_remove_a_passkey(member):
    device = make_passkey(member.user)
    user = as_session(member.user, verified=False)

    with pytest.raises(TwoFactorError):
        passkeys.remove_passkey(user=user, passkey_id=device.pk, actor=Actor(user=user))

    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()


def test_nobody_removes_or_renames_someone_elses_passkey(member, admin):
    theirs = make_passkey(admin.user)
    user = as_session(member.user, verified=True)
    make_passkey(member.user)

    with pytest.raises(TwoFactorError):
        passkeys.remove_passkey(user=user, passkey_id=theirs.pk, actor=Actor(user=user))
    with pytest.raises(TwoFactorError):
        passkeys.rename_passkey(user=user, passkey_id=theirs.pk, name="Mine now", actor=Actor(user=user))

    theirs.refresh_from_db()
    assert theirs.name == "Work laptop"


def test_removing_a_passkey_is_audited_and_emailed(member, run_worker):
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    device = make_passkey(member.user, name="Old phone")
    user = as_session(member.user, verified=True)

    change = passkeys.remove_passkey(user=user, passkey_id=device.pk, actor=Actor(user=user))

    assert change == passkeys.PasskeyChange.REMOVED
    assert not passkeys.has_passkey(member.user)
    assert services.has_authenticator(member.user)  # the app is still there
    assert AuditEvent.objects.filter(summary__startswith="Removed the passkey Old phone of Sam Patel").exists()
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam@coventry.gov.uk"]]
    assert mail.outbox[0].subject == "A passkey was removed from your Book Your Place account"
    assert "Old phone" in mail.outbox[0].body


def test_removing_the_last_second_factor_turns_two_factor_off_and_ends_the_recovery_codes(member, run_worker):
    device = make_passkey(member.user)
    user = as_session(member.user, verified=True)
    services.new_recovery_codes(user=user, actor=Actor(user=user))

    change = passkeys.remove_passkey(user=user, passkey_id=device.pk, actor=Actor(user=user))

    assert change == passkeys.PasskeyChange.REMOVED_LAST
    assert not services.has_authenticator(member.user)
    assert not StaticDevice.objects.filter(user=member.user).exists()
    run_worker()
    assert mail.outbox[-1].subject == "Two-factor sign-in was turned off for your Book Your Place account"


def test_removing_one_of_two_passkeys_keeps_the_recovery_codes(member):
    first, _second = make_passkey(member.user, name="Laptop"), make_passkey(member.user, name="Key")
    user = as_session(member.user, verified=True)
    services.new_recovery_codes(user=user, actor=Actor(user=user))

    passkeys.remove_passkey(user=user, passkey_id=first.pk, actor=Actor(user=user))

    assert services.recovery_codes_left(member.user) == services.RECOVERY_CODE_COUNT


def test_renaming_a_passkey_is_audited_and_refuses_an_empty_name(member):
    device = make_passkey(member.user, name="Passkey 1")
    user = as_session(member.user, verified=True)

    with pytest.raises(TwoFactorError) as refused:
        passkeys.rename_passkey(user=user, passkey_id=device.pk, name="   ", actor=Actor(user=user))
    assert refused.value.field == "name"

    renamed = passkeys.rename_passkey(user=user, passkey_id=device.pk, name="  Work   laptop ", actor=Actor(user=user))

    assert renamed.name == "Work laptop"
    assert AuditEvent.objects.filter(summary__contains="Renamed the passkey Passkey 1").exists()


def test_an_administrators_reset_removes_passkeys_too(member, admin, run_worker):
    make_passkey(member.user)
    TOTPDevice.objects.create(user=admin.user, name="Authenticator app", confirmed=True)
    acting = as_session(admin.user, verified=True)

    services.reset_two_factor(member=member, actor=Actor(user=acting))

    assert not passkeys.has_passkey(member.user)
    assert not services.has_authenticator(member.user)


def test_setting_up_an_authenticator_app_keeps_the_passkeys(member):
    make_passkey(member.user, name="Work laptop")
    user = as_session(member.user, verified=True)
    pending = services.pending_authenticator(user=user)

    change = services.confirm_authenticator(
        user=user, device=pending, code=f"{totp(pending.bin_key):06d}", actor=Actor(user=user)
    )

    assert change == services.TwoFactorChange.ADDED
    assert [p.name for p in passkeys.passkeys_of(member.user)] == ["Work laptop"]
    assert passkeys.has_authenticator_app(member.user)
