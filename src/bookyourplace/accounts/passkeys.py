"""Passkeys (WebAuthn) as a second factor, beside the authenticator app.

django-otp-webauthn does the ceremonies (its views and JavaScript) and keeps each passkey as a
django-otp device, so everything that counts devices counts passkeys too: `has_authenticator`,
`session_is_verified` (a session verified with a passkey is verified like one verified with a
code), an administrator's `reset_two_factor` (which deletes every device) and the code step.

The rules here are ours: a passkey is added only from a session already verified when the
account has a second factor (the library checks it; `PasskeyHelper` checks it again in the
transaction), is a second factor only (settings: no sign-in without the password), and every
passkey added or removed is in the audit log and emailed to its owner. Removing one needs a
verified session; removing the last second factor ends the recovery codes with it.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from bookyourplace.accounts.errors import TwoFactorError
from bookyourplace.accounts.permissions import AnyUser
from bookyourplace.accounts.services import (
    _email_two_factor_change,
    _member_of,
    _name,
    may_change_own_authenticator,
    session_is_verified,
)
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, actor_for, record

NAME_MAX_LENGTH = 64


class PasskeyChange(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REMOVED_LAST = "removed_last"


@dataclass(frozen=True)
class Passkey:
    """A passkey as its owner sees it on Your account."""

    id: int
    name: str
    added: datetime | None
    last_used: datetime | None


def has_passkey(user: AnyUser | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_authenticator_app(user: AnyUser | None) -> bool:
    return bool(
        user is not None and user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def passkeys_of(user: AbstractBaseUser) -> list[Passkey]:
    rows = WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")
    return [Passkey(id=p.pk, name=p.name, added=p.created_at, last_used=p.last_used_at) for p in rows]


def passkey_of(*, user: AbstractBaseUser, passkey_id: int) -> Passkey | None:
    """The person's own passkey (None for anyone else's: nobody sees another's)."""
    return next((p for p in passkeys_of(user) if p.id == passkey_id), None)


def _default_name(user: AbstractBaseUser) -> str:
    count = WebAuthnCredential.objects.filter(user=user).count()
    return _("Passkey %(number)s") % {"number": count + 1}


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's helper (OTP_WEBAUTHN_HELPER_CLASS), with our rules around adding."""

    def register_complete(self, user: AbstractBaseUser, state: dict, data: dict):
        with transaction.atomic():
            # The library's view checked this before the ceremony; checked again here, as the
            # session may have lost its verification (an administrator's reset) since.
            if not may_change_own_authenticator(self.request.user):
                raise webauthn_errors.NotVerified(detail=_("Sign in with your second factor before you add a passkey"))
            device = super().register_complete(user, state, data)
            record(
                actor=actor_for(self.request),
                action=AuditEvent.Action.CHANGED_PERSON,
                summary=f"Added a passkey ({device.name}) for {_name(user)}",
                subject=_member_of(user),
            )
            _email_two_factor_change(user, PasskeyChange.ADDED, template="passkey_changed", passkey=device.name)
        return device

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = _default_name(user)
        device.confirmed = True
        return device


def rename_passkey(*, user: AbstractBaseUser, passkey_id: int, name: str, actor: Actor) -> Passkey:
    name = " ".join(name.split())
    if not name:
        raise TwoFactorError(_("Enter a name for the passkey"), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise TwoFactorError(
            _("The name must be %(count)s characters or fewer") % {"count": NAME_MAX_LENGTH}, field="name"
        )
    with transaction.atomic():
        device = _own_passkey(user, passkey_id)
        before = device.name
        device.name = name
        device.save(update_fields=["name"])
        if before != name:
            record(
                actor=actor,
                action=AuditEvent.Action.CHANGED_PERSON,
                summary=f"Renamed the passkey {before} of {_name(user)} to {name}",
                subject=_member_of(user),
            )
    return passkey_of(user=user, passkey_id=passkey_id)


def remove_passkey(*, user: AnyUser, passkey_id: int, actor: Actor) -> PasskeyChange:
    """Remove one of the person's own passkeys. Only from a session verified with a second
    factor (else the password alone would take it away). If nothing else is left (no
    authenticator app, no other passkey), two-factor sign-in is off and the recovery codes go
    too. Audited, and the owner emailed."""
    if not session_is_verified(user):
        raise TwoFactorError(_("Sign in with your passkey or authenticator app before you remove a passkey"))
    with transaction.atomic():
        device = _own_passkey(user, passkey_id)
        name = device.name
        device.delete()
        last = not (
            WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
            or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        )
        if last:
            StaticDevice.objects.filter(user=user).delete()
        change = PasskeyChange.REMOVED_LAST if last else PasskeyChange.REMOVED
        summary = f"Removed the passkey {name} of {_name(user)}"
        if last:
            summary += " (two-factor sign-in is now off)"
        record(actor=actor, action=AuditEvent.Action.CHANGED_PERSON, summary=summary, subject=_member_of(user))
        _email_two_factor_change(user, change, template="passkey_changed", passkey=name)
    return change


def _own_passkey(user: AbstractBaseUser, passkey_id: int) -> WebAuthnCredential:
    device = WebAuthnCredential.objects.select_for_update().filter(user=user, pk=passkey_id, confirmed=True).first()
    if device is None:
        raise TwoFactorError(_("That passkey has already been removed"))
    return device
