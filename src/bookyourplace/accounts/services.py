"""Back-office accounts: add a person, change their role or programmes, switch an account off.

The back office and commands call these so the rules live once. A refusal is raised as
StaffMemberError with a message fit to show the administrator. Every change is written to
the audit log in the same transaction as the change.
"""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.notifications.services import queue_account_email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme


class StaffMemberError(ValueError):
    """A back-office account cannot be added or changed as asked. The message says why;
    ``field`` names the form field it is about, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def set_password_url(user) -> str:
    """A one-off link to choose a password: Django's password-reset token for this user.

    The token is tied to the user's current password hash and last sign-in, so it stops
    working once used, and after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "backoffice:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
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


def _name(user) -> str:
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


def change_staff_member(*, member: StaffMember, role: str, programmes: Iterable[Programme] = (), actor: Actor) -> StaffMember:
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
