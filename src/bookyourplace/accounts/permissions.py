"""Who may do what in the back office. Views ask these; the rules live only here.

Administrator: everything for their organiser, including people and the audit log.
Organiser: the programmes they are assigned to, and creating new ones.
Viewer: read-only lists and reports; no changes and no exports of personal data.
A Django superuser is an administrator of every organiser, and the installation's
administrator: only they add organisations (the back office's Organisations pages).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.programmes.models import Organiser, Programme

# request.user: a signed-in account, or nobody yet.
AnyUser = AbstractBaseUser | AnonymousUser


def staff_member(user: AnyUser) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except StaffMember.DoesNotExist:
        return None


def role_of(user: AnyUser) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Role.ADMINISTRATOR
    member = staff_member(user)
    return member.role if member else None


def is_staff(user: AnyUser) -> bool:
    return role_of(user) is not None


def organisers_for(user: AnyUser) -> QuerySet[Organiser]:
    if user.is_superuser:
        return Organiser.objects.all()
    member = staff_member(user)
    return Organiser.objects.filter(pk=member.organiser_id) if member else Organiser.objects.none()


def programmes_for(user: AnyUser) -> QuerySet[Programme]:
    """The programmes this person can see."""
    if user.is_superuser:
        return Programme.objects.all()
    member = staff_member(user)
    if member is None:
        return Programme.objects.none()
    if member.role == Role.ORGANISER:
        return Programme.objects.filter(team=member)
    return Programme.objects.filter(organiser_id=member.organiser_id)


def can_view(user: AnyUser, *, programme: Programme) -> bool:
    return programmes_for(user).filter(pk=programme.pk).exists()


def can_edit(user: AnyUser, *, programme: Programme) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.ORGANISER) and can_view(user, programme=programme)


def can_create_programmes(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.ORGANISER)


def can_export_personal_data(user: AnyUser, *, programme: Programme) -> bool:
    return can_edit(user, programme=programme)


def can_manage_people(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def can_read_audit_log(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def can_run_retention(user: AnyUser) -> bool:
    """See what the retention schedule will anonymise, and run it now: administrators."""
    return role_of(user) == Role.ADMINISTRATOR


def can_answer_subject_access(user: AnyUser) -> bool:
    """Look up, download and erase everything held about a person, across the organiser's
    programmes: administrators only (it reaches programmes their colleagues run)."""
    return role_of(user) == Role.ADMINISTRATOR


def can_edit_organiser_pages(user: AnyUser) -> bool:
    """The privacy notice and accessibility statement speak for the organiser: administrators
    change them; everyone else on the staff may read them."""
    return role_of(user) == Role.ADMINISTRATOR


def can_manage_sign_in(user: AnyUser) -> bool:
    """Council sign-in (the organisation's OpenID Connect providers): who may sign in, with
    which role, is theirs to set, so administrators only."""
    return role_of(user) == Role.ADMINISTRATOR


def can_book_beyond_fair_share(user: AnyUser) -> bool:
    """Booking someone a place although their organisation already has its fair share of the
    session (bookings/fair_shares.py): administrators only; organisers' bookings keep to it."""
    return role_of(user) == Role.ADMINISTRATOR


def can_manage_integrations(user: AnyUser) -> bool:
    """API tokens and webhooks: they reach every programme's personal data, so administrators only."""
    return role_of(user) == Role.ADMINISTRATOR


def can_manage_organisations(user: AnyUser) -> bool:
    """Add organisations to the install and their first administrators: installation
    administrators (Django superusers) only; an organisation's own administrators change
    its settings (can_change_organisation_settings)."""
    return user.is_authenticated and user.is_superuser


def can_change_organisation_settings(user: AnyUser) -> bool:
    """An organisation's colours, email sender, sign-off and retention defaults: its administrators."""
    return role_of(user) == Role.ADMINISTRATOR
