"""Reading the audit log: which events an organiser's administrators may see, filtered.

Here, not in privacy: the audit log is written by every app and knows none of them; who
belongs to an organiser is the accounts' business."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from bookyourplace.accounts.models import StaffMember
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser, Programme


@dataclass(frozen=True)
class AuditFilter:
    """What the administrator asked for. Empty values mean "any"; dates are local days, inclusive."""

    action: str = ""
    person: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def events_for_organisers(
    organisers: QuerySet[Organiser], *, audit_filter: AuditFilter = AuditFilter()
) -> QuerySet[AuditEvent]:
    """The events about these organisers' programmes, and everything their own staff did.

    Newest first. An event counts as the organiser's if it names one of its programmes, or if
    its actor is (or was) one of its back-office accounts, so sign-ins and changes to people
    are included.
    """
    programme_ids = Programme.objects.filter(organiser__in=organisers).values("pk")
    staff_user_ids = StaffMember.objects.filter(organiser__in=organisers).values("user_id")
    events = AuditEvent.objects.filter(Q(programme_id__in=programme_ids) | Q(actor_id__in=staff_user_ids))
    if audit_filter.action:
        events = events.filter(action=audit_filter.action)
    if audit_filter.person.strip():
        events = events.filter(actor_label__icontains=audit_filter.person.strip())
    if audit_filter.date_from:
        events = events.filter(created_at__gte=_start_of(audit_filter.date_from))
    if audit_filter.date_to:
        events = events.filter(created_at__lt=_start_of(audit_filter.date_to + dt.timedelta(days=1)))
    return events.order_by("-created_at", "-id")
