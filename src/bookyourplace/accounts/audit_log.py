"""Reading the audit log: which events an organiser's administrators may see, filtered.

Here, not in privacy: the audit log is written by every app and knows none of them; who
belongs to an organiser is the accounts' business."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookyourplace.accounts.models import ApiToken, SignInProvider, StaffMember
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
    are included, or if it is about one of its API tokens (each use of one, which has no
    account behind it and often no programme).
    """
    programme_ids = Programme.objects.filter(organiser__in=organisers).values("pk")
    staff_user_ids = StaffMember.objects.filter(organiser__in=organisers).values("user_id")
    token_ids = (
        ApiToken.objects.filter(organiser__in=organisers)
        .annotate(subject_key=Cast("pk", output_field=CharField()))
        .values("subject_key")
    )
    # Council sign-ins refused through its providers (the person has no account here to name).
    provider_ids = (
        SignInProvider.objects.filter(organiser__in=organisers)
        .annotate(subject_key=Cast("pk", output_field=CharField()))
        .values("subject_key")
    )
    organiser_keys = organisers.annotate(subject_key=Cast("pk", output_field=CharField())).values("subject_key")
    events = AuditEvent.objects.filter(
        Q(programme_id__in=programme_ids)
        | Q(actor_id__in=staff_user_ids)
        | Q(subject_type=ApiToken._meta.model_name, subject_id__in=token_ids)
        | Q(subject_type=SignInProvider._meta.model_name, subject_id__in=provider_ids)
        # The organisation itself: its settings, changed by an installation administrator too.
        | Q(subject_type=Organiser._meta.model_name, subject_id__in=organiser_keys)
    )
    if audit_filter.action:
        events = events.filter(action=audit_filter.action)
    if audit_filter.person.strip():
        events = events.filter(actor_label__icontains=audit_filter.person.strip())
    if audit_filter.date_from:
        events = events.filter(created_at__gte=_start_of(audit_filter.date_from))
    if audit_filter.date_to:
        events = events.filter(created_at__lt=_start_of(audit_filter.date_to + dt.timedelta(days=1)))
    return events.order_by("-created_at", "-id")


# What the log calls the actions that other apps record under their own names: AuditEvent.Action
# lists the older ones (a new choice there is a migration of privacy, which knows no app).
OTHER_ACTIONS = {
    # "See all my bookings" (bookings/own_record.py).
    "own_record.link_sent": _("Sent a sign-in link to see all bookings"),
    "own_record.link_not_sent": _("Asked for a sign-in link for an unknown address"),
    "own_record.signed_in": _("Signed in to see all bookings"),
    "api_token_created": _("Created an API token"),
    "api_token_revoked": _("Revoked an API token"),
    "api_request": _("Used the API"),
    # Webhooks (webhooks/endpoints.py, services.py, delivery.py; the back office's pages).
    "webhook.added": _("Added a webhook endpoint"),
    "webhook.changed": _("Changed a webhook endpoint"),
    "webhook.removed": _("Removed a webhook endpoint"),
    "webhook.secret_rotated": _("Made a new webhook signing secret"),
    "webhook.test_sent": _("Sent a webhook test message"),
    "webhook.resent": _("Sent a webhook message again"),
    "webhook.delivery_viewed": _("Viewed a webhook message"),
    "webhook.switched_off": _("Switched off a failing webhook endpoint"),
    # Organisations (programmes/organisations.py).
    "organisation.created": _("Added an organisation"),
    "organisation.changed": _("Changed an organisation's settings"),
}


def action_choices() -> list[tuple[str, str]]:
    """Every action the log's filter offers, with its label."""
    return [*AuditEvent.Action.choices, *OTHER_ACTIONS.items()]


def action_label(action: str) -> str:
    return str(dict(action_choices()).get(action, action))


def describe(event: AuditEvent) -> str:
    """The event's summary as the log shows it: as recorded, except a use of the API, which is
    recorded as "GET /api/bookings 200" and shown as "Read /api/bookings: done (200)"."""
    if event.action == "api_request":
        return _api_request(event.summary)
    return event.summary


_API_VERBS = {
    "GET": _("Read"),
    "HEAD": _("Read"),
    "OPTIONS": _("Asked about"),
    "POST": _("Sent"),
    "PUT": _("Changed"),
    "PATCH": _("Changed"),
    "DELETE": _("Deleted"),
}


def _api_outcome(status: int) -> str:
    if status < 400:
        return gettext("done")
    if status in (401, 403):
        return gettext("refused, not allowed for this token")
    if status == 404:
        return gettext("not found")
    if status == 429:
        return gettext("refused, too many requests")
    if status < 500:
        return gettext("refused, the request was not right")
    return gettext("failed on our side")


def _api_request(summary: str) -> str:
    method, _space, rest = summary.partition(" ")
    path, _space, status = rest.rpartition(" ")
    if method not in _API_VERBS or not path or not status.isdigit():
        return summary
    return gettext("%(verb)s %(path)s: %(outcome)s (%(status)s)") % {
        "verb": _API_VERBS[method],
        "path": path,
        "outcome": _api_outcome(int(status)),
        "status": status,
    }
