"""Publish, unpublish (back to draft) or archive a programme."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed


def sessions_missing_joining_links(programme: Programme) -> list[Session]:
    return list(
        programme.sessions.filter(
            delivery=Session.Delivery.ONLINE, status=Session.Status.SCHEDULED, joining_url=""
        ).order_by("starts_at")
    )


def set_programme_status(*, programme: Programme, status: str, actor: Actor) -> Programme:
    """Publish, unpublish (back to draft) or archive a programme.

    Publishing is refused while an online session has no joining link: attendees would be
    confirmed with no way to join.
    """
    if status == Programme.Status.PUBLISHED:
        missing = sessions_missing_joining_links(programme)
        if missing:
            titles = ", ".join(f"'{s.title}'" for s in missing)
            raise ProgrammeError(
                ngettext(
                    "Add a joining link to the online session %(titles)s before publishing.",
                    "Add joining links to the online sessions %(titles)s before publishing.",
                    len(missing),
                )
                % {"titles": titles}
            )
        if not programme.sessions.exists():
            raise ProgrammeError(_("Add at least one session before publishing."))
    with transaction.atomic():
        programme.status = status
        programme.save(update_fields=["status"])
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PROGRAMME,
            summary=f"Set programme '{programme.title}' to {programme.get_status_display().lower()}",
            subject=programme,
            programme_id=programme.pk,
        )
        programme_changed(programme.pk)
    return programme
