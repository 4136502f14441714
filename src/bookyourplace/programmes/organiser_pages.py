"""What each organiser publishes about the service: its privacy notice (UK GDPR Articles 13
and 14) and its accessibility statement (PSBAR 2018, regulation 8).

Both start from a complete default, so an organiser who has not filled anything in still
publishes a lawful notice and statement naming them; an administrator then adds their own
details. The retention periods in the notice are read from the programmes' settings, never
typed, so the notice always says what the service actually does.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import AccessibilityStatement, Organiser, PrivacyNotice, Programme

DEFAULT_HOW_TESTED = gettext_lazy(
    "Every page is checked automatically with axe-core against WCAG 2.2 AA, on a phone-sized and a "
    "desktop-sized screen, and every public task (booking, joining the waiting list, accepting an offered "
    "place, cancelling, giving feedback, getting a certificate) is carried out with the keyboard alone in a "
    "real browser, before each release of the software."
)
DEFAULT_KNOWN_ISSUES = gettext_lazy(
    "Certificates of attendance are PDF files without tags, so a screen reader may not read them in order. "
    "Ask us for the certificate as an email or a Word document."
)


PRIVACY_NOTICE_FIELDS = (
    "controller_name",
    "controller_address",
    "controller_email",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "special_category_condition",
    "extra_recipients",
    "extra_text",
)
ACCESSIBILITY_STATEMENT_FIELDS = (
    "compliance",
    "known_issues",
    "contact_email",
    "contact_phone",
    "response_days",
    "northern_ireland",
    "how_tested",
    "tested_on",
)


def privacy_notice_for(organiser: Organiser) -> PrivacyNotice:
    """The organiser's notice as saved, or the default one (not saved) if they have none yet."""
    try:
        return PrivacyNotice.objects.select_related("organiser").get(organiser=organiser)
    except PrivacyNotice.DoesNotExist:
        return PrivacyNotice(organiser=organiser)


def accessibility_statement_for(organiser: Organiser) -> AccessibilityStatement:
    """The organiser's statement as saved, or the default one (not saved)."""
    try:
        return AccessibilityStatement.objects.select_related("organiser").get(organiser=organiser)
    except AccessibilityStatement.DoesNotExist:
        return AccessibilityStatement(
            organiser=organiser, known_issues=str(DEFAULT_KNOWN_ISSUES), how_tested=str(DEFAULT_HOW_TESTED)
        )


@dataclass(frozen=True)
class RetentionPeriod:
    """How long details are kept, and the programmes that keep them that long."""

    months: int
    access_needs_days: int
    programmes: tuple[str, ...]


def retention_periods(organiser: Organiser) -> list[RetentionPeriod]:
    """The organiser's retention settings, one entry per distinct pair of periods (most
    programmes keep the defaults, so the notice usually gives one sentence). Draft programmes
    hold nobody's details yet; with no other programme the organiser's defaults for new
    programmes are given."""
    rows = (
        Programme.objects.filter(organiser=organiser)
        .exclude(status=Programme.Status.DRAFT)
        .order_by("title")
        .values_list("retention_months", "access_needs_retention_days", "title")
    )
    grouped: dict[tuple[int, int], list[str]] = {}
    for months, days, title in rows:
        grouped.setdefault((months, days), []).append(title)
    if not grouped:
        return [RetentionPeriod(organiser.default_retention_months, organiser.default_access_needs_retention_days, ())]
    return [RetentionPeriod(months, days, tuple(titles)) for (months, days), titles in sorted(grouped.items())]


def _changed_fields(instance, values: dict, fields: tuple[str, ...]) -> list[str]:
    changed = []
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed.append(str(instance._meta.get_field(name).verbose_name))
    return changed


def save_privacy_notice(*, organiser: Organiser, values: dict, actor: Actor) -> PrivacyNotice:
    """Save the administrator's details for the notice, and note in the audit log what changed."""
    with transaction.atomic():
        notice = privacy_notice_for(organiser)
        changed = _changed_fields(notice, values, PRIVACY_NOTICE_FIELDS)
        if notice.pk and not changed:
            return notice
        notice.updated_at = timezone.now()
        notice.save()
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PRIVACY_NOTICE,
            summary=_("Changed the privacy notice of %(organiser)s: %(fields)s")
            % {"organiser": organiser.name, "fields": ", ".join(changed) or _("saved as it was")},
            subject=notice,
        )
    return notice


def save_accessibility_statement(
    *, organiser: Organiser, values: dict, actor: Actor, today: dt.date | None = None
) -> AccessibilityStatement:
    """Save the statement. Saving it is reviewing it: the review date becomes today, and the
    first save is the date it was prepared."""
    today = today or timezone.localdate()
    with transaction.atomic():
        statement = accessibility_statement_for(organiser)
        changed = _changed_fields(statement, values, ACCESSIBILITY_STATEMENT_FIELDS)
        statement.prepared_on = statement.prepared_on or today
        statement.reviewed_on = today
        statement.save()
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_ACCESSIBILITY_STATEMENT,
            summary=_("Reviewed the accessibility statement of %(organiser)s: %(fields)s")
            % {"organiser": organiser.name, "fields": ", ".join(changed) or _("nothing changed")},
            subject=statement,
        )
    return statement
