"""Back-office accounts: add a person, change their role or programmes, switch an account off.

The back office and commands call these so the rules live once. A refusal is raised as a
StaffMemberError or TwoFactorError (accounts/errors.py) with a message fit to show the person.
Every change is written to the audit log in the same transaction as the change.
"""

import secrets
from collections.abc import Iterable
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.errors import StaffMemberError, TwoFactorError
from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.accounts.permissions import AnyUser
from bookyourplace.core.formatting import date_and_time
from bookyourplace.notifications.account_emails import queue_account_email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme


def set_password_url(user: AbstractBaseUser) -> str:
    """A one-off link to choose a password: Django's password-reset token for this user.

    The token is tied to the user's current password hash and last sign-in, so it stops
    working once used, and after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "backoffice:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def _programmes_for_role(*, organiser: Organiser, role: str, programmes: Iterable[Programme]) -> list[Programme]:
    """Only organisers are assigned to programmes; administrators and viewers see them all."""
    programmes = list(programmes)
    if any(p.organiser_id != organiser.pk for p in programmes):
        raise StaffMemberError(_("Choose programmes of your own organisation"), field="programmes")
    return programmes if role == Role.ORGANISER else []


def _describe(member: StaffMember, programmes: list[Programme]) -> str:
    if member.role != Role.ORGANISER:
        return str(member.get_role_display())
    titles = ", ".join(sorted(p.title for p in programmes)) or _("no programmes")
    return _("%(role)s of %(programmes)s") % {"role": member.get_role_display(), "programmes": titles}


def _name(user: AbstractBaseUser) -> str:
    return f"{user.get_full_name() or user.email} <{user.email}>"


def add_staff_member(
    *,
    organiser: Organiser,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    programmes: Iterable[Programme] = (),
    actor: Actor,
) -> StaffMember:
    """Create the account and queue a "set your password" email (sent by the worker).

    The account starts with a long random password nobody knows, so that if the emailed
    link runs out the person can still use "I have forgotten my password".
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise StaffMemberError(_("Select a role"), field="role")
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
            raise StaffMemberError(_("There is already an account with this email address"), field="email")
        assigned = _programmes_for_role(organiser=organiser, role=role, programmes=programmes)
        user = User(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        member = StaffMember.objects.create(user=user, organiser=organiser, role=role)
        member.programmes.set(assigned)
        context = {
            "name": user.first_name,
            "organiser": organiser.name,
            "role": member.get_role_display(),
            "link": set_password_url(user),
            "sign_in_url": settings.SITE_URL + reverse("backoffice:sign_in"),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        queue_account_email(
            to=email,
            subject="".join(render_to_string("accounts/email/set_password_subject.txt", context).splitlines()),
            body=render_to_string("accounts/email/set_password.txt", context),
        )
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PERSON,
            summary=f"Added {_name(user)} as {_describe(member, assigned)}",
            subject=member,
        )
    return member


def change_staff_member(
    *, member: StaffMember, role: str, programmes: Iterable[Programme] = (), actor: Actor
) -> StaffMember:
    """Change a person's role and, for organisers, the programmes they run."""
    if role not in Role.values:
        raise StaffMemberError(_("Select a role"), field="role")
    if _is_self(member, actor) and member.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
        raise StaffMemberError(
            _("You cannot take away your own administrator role. Ask another administrator to do it"), field="role"
        )
    with transaction.atomic():
        member = StaffMember.objects.select_for_update().select_related("user", "organiser").get(pk=member.pk)
        assigned = _programmes_for_role(organiser=member.organiser, role=role, programmes=programmes)
        before = _describe(member, list(member.programmes.all()))
        member.role = role
        member.save(update_fields=["role"])
        member.programmes.set(assigned)
        after = _describe(member, assigned)
        if before != after:
            record(
                actor=actor,
                action=AuditEvent.Action.CHANGED_PERSON,
                summary=f"Changed {_name(member.user)} from {before} to {after}",
                subject=member,
            )
    return member


def deactivate_staff_member(*, member: StaffMember, actor: Actor) -> StaffMember:
    """Switch the account off: the person can no longer sign in, and is signed out at once.

    The account and its history stay, so the audit log still says who did what.
    """
    if _is_self(member, actor):
        raise StaffMemberError(_("You cannot switch off your own account. Ask another administrator to do it"))
    with transaction.atomic():
        member = StaffMember.objects.select_related("user").get(pk=member.pk)
        if not member.user.is_active:
            raise StaffMemberError(_("This account is already switched off"))
        member.user.is_active = False
        member.user.save(update_fields=["is_active"])
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PERSON,
            summary=f"Switched off the account of {_name(member.user)}",
            subject=member,
        )
    return member


def _is_self(member: StaffMember, actor: Actor) -> bool:
    return actor.user is not None and getattr(actor.user, "pk", None) == member.user_id


# --- Two-factor sign-in -----------------------------------------------------------------------
#
# While an account has a confirmed authenticator, only a code from it verifies a session
# (django-otp marks the session, and `request.user.is_verified()` reads the mark). A password
# alone must never be enough to add, replace or remove an authenticator, or it would undo the
# second factor it is meant to protect.


class TwoFactorChange(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    RESET = "reset"
    RECOVERY_CODE_USED = "recovery_code_used"


# Each works once; a new set can be made at any time from a verified session.
RECOVERY_CODE_COUNT = 10


def has_authenticator(user: AnyUser | None) -> bool:
    """The account has a confirmed authenticator (of any kind django-otp knows)."""
    return user is not None and user.is_authenticated and user_has_device(user, confirmed=True)


def session_is_verified(user: AnyUser | None) -> bool:
    """This request's session was verified with a code from one of the account's devices.

    `user` is `request.user`, on which django-otp's middleware sets `is_verified`."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and callable(is_verified) and is_verified())


def may_change_own_authenticator(user: AnyUser | None) -> bool:
    """A first authenticator may be added from a password-only session (that is how set-up
    starts); once there is one, only a session verified with it may change it."""
    return session_is_verified(user) or not has_authenticator(user)


def pending_authenticator(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed), made if there is none.

    An unconfirmed device verifies nothing, and the confirmed one stays until the new one's
    code is checked (`confirm_authenticator`)."""
    if not may_change_own_authenticator(user):
        raise TwoFactorError(_("Enter a code from your authenticator app before you change it"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_authenticator(
    *, user: AbstractBaseUser, device: TOTPDevice, code: str, actor: Actor
) -> TwoFactorChange | None:
    """Confirm the authenticator being set up with a code it shows; it replaces any other.

    Returns what changed, or None if the code is wrong. The owner is emailed and the change
    audited in the same transaction. The caller marks the session verified with this device."""
    if device.user_id != user.pk or device.confirmed:
        raise TwoFactorError(_("Start setting up your authenticator app again"))
    with transaction.atomic():
        # Checked again inside the transaction: the session may have lost its verification
        # (an administrator's reset) between showing the key and this code.
        if not may_change_own_authenticator(user):
            raise TwoFactorError(_("Enter a code from your authenticator app before you change it"))
        if not device.verify_token(code):
            return None
        # The old app and its recovery codes go (new codes follow); passkeys stay (accounts/passkeys.py).
        others = [
            d
            for d in _devices(user)
            if d.persistent_id != device.persistent_id and d.confirmed and isinstance(d, TOTPDevice | StaticDevice)
        ]
        for other in others:
            other.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        change = TwoFactorChange.REPLACED if any(isinstance(d, TOTPDevice) for d in others) else TwoFactorChange.ADDED
        summary = {
            TwoFactorChange.ADDED: f"Turned on two-factor sign-in for {_name(user)}",
            TwoFactorChange.REPLACED: f"Replaced the authenticator app of {_name(user)}",
        }[change]
        record(actor=actor, action=AuditEvent.Action.CHANGED_PERSON, summary=summary, subject=_member_of(user))
        _email_two_factor_change(user, change)
    return change


def verify_sign_in_code(*, user: AbstractBaseUser, code: str, actor: Actor) -> Device | None:
    """The account's device that accepts this code: the authenticator app's (6 digits) or,
    failing that, one of its recovery codes, which then stops working. None if neither does.

    A recovery code used is audited and the owner emailed, as it may mean someone else has them."""
    code = code.strip().lower()
    with transaction.atomic():
        # Only a code shaped like the app's is tried on it, so a recovery code does not count
        # as a wrong app code (django-otp slows down a device after each wrong code).
        if len(code) == 6 and code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            return device if device is not None and device.verify_token(code) else None
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not device.verify_token(code):
            return None
        left = device.token_set.count()
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PERSON,
            summary=f"{_name(user)} signed in with a recovery code ({left} left)",
            subject=_member_of(user),
        )
        _email_two_factor_change(user, TwoFactorChange.RECOVERY_CODE_USED, left=left)
    return device


def new_recovery_codes(*, user: AbstractBaseUser, actor: Actor) -> list[str]:
    """Make a new set of recovery codes for the account (the old ones stop working) and return
    them, to be shown once. Only from a session verified with the account's authenticator."""
    if not (session_is_verified(user) and has_authenticator(user)):
        raise TwoFactorError(_("Enter a code from your authenticator app before you make new recovery codes"))
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PERSON,
            summary=f"Made new recovery codes for {_name(user)}",
            subject=_member_of(user),
        )
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset_two_factor(*, member: StaffMember, actor: Actor) -> StaffMember:
    """An administrator removes another person's authenticators: they set one up again at
    their next sign-in (and any session verified with the old one is no longer verified).

    Only from a session verified with the administrator's own authenticator: otherwise anyone
    holding an administrator's password alone could strip a colleague's second factor."""
    if not session_is_verified(actor.user):
        raise TwoFactorError(
            _(
                "Turn on two-factor sign-in for your own account, and sign in with its code, before you reset someone else's"
            )
        )
    if _is_self(member, actor):
        raise TwoFactorError(_("You cannot reset your own two-factor sign-in here. Use Your account"))
    with transaction.atomic():
        member = StaffMember.objects.select_related("user").get(pk=member.pk)
        devices = _devices(member.user)
        if not any(device.confirmed for device in devices):
            raise TwoFactorError(_("Two-factor sign-in is already off for this account"))
        for device in devices:
            device.delete()
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PERSON,
            summary=f"Reset the two-factor sign-in of {_name(member.user)}",
            subject=member,
        )
        _email_two_factor_change(member.user, TwoFactorChange.RESET)
    return member


def _devices(user: AbstractBaseUser) -> list[Device]:
    """Every device of the account, of every kind django-otp has installed."""
    return list(devices_for_user(user, confirmed=None))


def _member_of(user: AbstractBaseUser) -> StaffMember | None:
    return StaffMember.objects.filter(user=user).first()


def _email_two_factor_change(
    user: AbstractBaseUser, change: str, *, left: int = 0, template: str = "two_factor_changed", **more: str
) -> None:
    """Tell the owner, so a change they did not make does not go unnoticed. (`template`: the
    email's files in accounts/email/; passkeys have their own, accounts/passkeys.py.)"""
    if not user.email:
        return
    context = {
        "name": user.first_name or user.email,
        "change": str(change),
        "left": left,
        "when": date_and_time(timezone.now(), timezone.get_default_timezone()),
        "sign_in_url": settings.SITE_URL + reverse("backoffice:sign_in"),
        "password_reset_url": settings.SITE_URL + reverse("backoffice:password_reset"),
        **more,
    }
    queue_account_email(
        to=user.email,
        subject="".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines()),
        body=render_to_string(f"accounts/email/{template}.txt", context),
    )
