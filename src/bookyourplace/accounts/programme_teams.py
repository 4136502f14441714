"""A programme a member of staff creates, copies or imports from a flyer is theirs: it
belongs to their organiser and they join its team, in the same transaction as the programme
and its audit entry, so an organiser (who sees only their team's programmes) never loses
sight of what they made."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from bookyourplace.accounts import permissions
from bookyourplace.accounts.permissions import AnyUser
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import copying, editing, importing
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Organiser, Programme


def create_programme_as(
    *, user: AnyUser, title: str, summary: str = "", organiser: Organiser | None = None, actor: Actor
) -> Programme:
    """A new programme of ``organiser``, which the person must act for (the back office says
    which: backoffice/access.py organiser_for); None: a member's own organiser."""
    organiser = organiser or permissions.organisers_for(user).first()
    _check_acts_for(user, organiser)
    with transaction.atomic():
        programme = editing.create_programme(organiser=organiser, title=title, summary=summary, actor=actor)
        _join_team(user, programme)
    return programme


def _check_acts_for(user: AnyUser, organiser: Organiser | None) -> None:
    if organiser is None or not permissions.organisers_for(user).filter(pk=organiser.pk).exists():
        raise ProgrammeError(
            _("You cannot create programmes for %(organiser)s") % {"organiser": organiser or "-"}, field="organiser"
        )


def copy_programme_as(
    *, user: AnyUser, programme: Programme, first_day: dt.date, title: str, actor: Actor
) -> Programme:
    with transaction.atomic():
        copy = copying.copy_programme_for(programme=programme, first_day=first_day, title=title, actor=actor)
        _join_team(user, copy)
    return copy


def import_programme_as(*, user: AnyUser, organiser: Organiser, actor: Actor, **draft) -> Programme:
    """A draft programme from a flyer read and corrected in the preview (``draft``: as
    importing.create_draft_programme takes it), for an organiser the person acts for."""
    _check_acts_for(user, organiser)
    with transaction.atomic():
        programme = importing.create_draft_programme(
            organiser=organiser, imported_by=user if user.is_authenticated else None, actor=actor, **draft
        )
        _join_team(user, programme)
    return programme


def _join_team(user: AnyUser, programme: Programme) -> None:
    member = permissions.staff_member(user)
    if member is not None:
        member.programmes.add(programme)
