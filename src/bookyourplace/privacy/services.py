"""The audit log: every view of a booking's personal data, every export, every change."""

from dataclasses import dataclass

from django.db import models

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
