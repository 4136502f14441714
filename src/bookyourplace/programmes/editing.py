"""An organiser creates a programme, changes its title and summary, and sets its booking rules.

Each change is written with its audit entry in one transaction, and raises the programme's
page version (programmes/page_version.py) when the public pages could show it.
"""

import datetime as dt
from typing import TypedDict, Unpack

from django.db import transaction

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.slugs import available_slug


def create_programme(*, organiser: Organiser, title: str, summary: str = "", slug: str = "", actor: Actor) -> Programme:
    """A new programme, always a draft: nothing public shows it until it is published. It
    keeps people's details as long as its organisation's defaults say (it may change its own)."""
    with transaction.atomic():
        programme = Programme.objects.create(
            organiser=organiser,
            title=title,
            summary=summary,
            slug=available_slug(slug=slug or None, title=title, year=dt.date.today().year),
            status=Programme.Status.DRAFT,
            **organiser.programme_defaults(),
        )
        record(
            actor=actor,
            action=AuditEvent.Action.CREATED_PROGRAMME,
            summary=f"Created programme '{title}'",
            subject=programme,
            programme_id=programme.pk,
        )
    return programme


def change_programme(*, programme: Programme, title: str, summary: str, actor: Actor) -> Programme:
    with transaction.atomic():
        programme.title, programme.summary = title, summary
        programme.save(update_fields=["title", "summary"])
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PROGRAMME,
            summary=f"Changed programme '{title}'",
            subject=programme,
            programme_id=programme.pk,
        )
        programme_changed(programme.pk)
    return programme


class ProgrammeRules(TypedDict, total=False):
    """Who can book, whether email addresses are confirmed first, how long offers are held,
    each organisation's fair share of a session, the cancellation cut-off and the reminders. Any left out stay as they are."""

    approval_mode: str
    trusted_domains: str
    email_confirmation: str
    offer_hold_hours: int
    # Fair shares: the most places one organisation may hold on each session (None: no cap).
    fair_share_cap: int | None
    cancellation_cutoff_hours: int
    reminder_days: str
    joining_reminder_minutes: int
    # After the session: what counts as attended, and certificates of attendance.
    attendance_threshold_percent: int
    certificates_enabled: bool
    certificate_needs_feedback: bool
    # How long people's details are kept (privacy/retention.py anonymises them after).
    retention_months: int
    access_needs_retention_days: int


PROGRAMME_RULES = tuple(ProgrammeRules.__annotations__)


def change_programme_rules(*, programme: Programme, actor: Actor, **rules: Unpack[ProgrammeRules]) -> Programme:
    """Save the booking rules that differ from the programme's, with one audit entry naming them."""
    unknown = set(rules) - set(PROGRAMME_RULES)
    if unknown:
        raise TypeError(f"Not a programme rule: {', '.join(sorted(unknown))}")
    changed = [name for name in PROGRAMME_RULES if name in rules and getattr(programme, name) != rules[name]]
    if not changed:
        return programme
    with transaction.atomic():
        for name in changed:
            setattr(programme, name, rules[name])
        programme.save(update_fields=changed)
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PROGRAMME,
            summary=f"Changed the booking rules of '{programme.title}': {', '.join(changed)}",
            subject=programme,
            programme_id=programme.pk,
        )
        programme_changed(programme.pk)
    return programme
