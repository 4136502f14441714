"""The audit log: every view of a booking's personal data, every export, every change."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.http import HttpRequest

from bookyourplace.core.requests import client_ip
from bookyourplace.privacy.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where: a signed-in organiser, or an attendee by their address."""

    user: object | None = None
    ip_address: str | None = None
    label: str = ""

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            return self.user.get_full_name() or self.user.get_username()
        return "Attendee"


SYSTEM = Actor(label="Book Your Place")


def actor_for(request: HttpRequest, *, label: str = "") -> Actor:
    """Who is making this request: the signed-in person, if any, from the client's address
    (behind trusted proxies); ``label`` names an attendee, who has no account."""
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    return Actor(user=user, ip_address=client_ip(request), label=label)


def record(
    *, actor: Actor, action: str, summary: str, subject: models.Model | None = None, programme_id: int | None = None
) -> AuditEvent:
    user = actor.user if actor.user is not None and getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor.name[:254],
        ip_address=actor.ip_address,
        action=action,
        subject_type=subject._meta.model_name if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        summary=summary[:500],
        programme_id=programme_id,
    )


@contextmanager
def _audit_removal_window(using: str = DEFAULT_DB_ALIAS):
    """Let this transaction, and no other, remove audit rows (privacy migration 0003 says how
    the triggers read it). Runs in a transaction of its own (or the caller's)."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('bookyourplace.audit_retention', 'on', true)")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO privacy_audit_retention_window (opened) VALUES (1)")
        try:
            yield cursor
        finally:
            # Closed again at once, not at the end of a caller's longer transaction.
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('bookyourplace.audit_retention', '', true)")
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM privacy_audit_retention_window")


def purge_audit_events_before(*, cutoff: datetime) -> int:
    """Delete audit events recorded before ``cutoff``; how many went.

    The one way audit rows can be removed (for the retention period to come): the model, its
    QuerySet and database triggers refuse every other UPDATE and DELETE.
    """
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(AuditEvent._meta.db_table)
    created_at = AuditEvent._meta.get_field("created_at")
    with _audit_removal_window() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE created_at < %s",
            [created_at.get_db_prep_value(cutoff, connections[DEFAULT_DB_ALIAS])],
        )
        return cursor.rowcount
