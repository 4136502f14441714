"""Erasing a person: their details anonymised at once in everything that holds them.

Every registered holder (privacy/personal_data.py) is asked in turn, in one transaction, so
the person is gone from all of them or from none. The audit log records it without the
address: "a person" with a short reference (privacy/subject_access.py), what changed, why.
Whether to erase (or keep, with a reason) is the subject access page's decision; this is the
engine it calls.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.person_reference import reference
from bookyourplace.privacy.personal_data import holders
from bookyourplace.privacy.services import Actor, record


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed: records per holder ("bookings": 2, "feedback": 1...)."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def describe(counts: dict[str, int]) -> str:
    """ "bookings 2, emails 3" (those that changed something), or "nothing held"."""
    changed = [f"{name.replace('_', ' ')} {count}" for name, count in counts.items() if count]
    return ", ".join(changed) or "nothing held"


def erase_person(email: str, *, reason: str, actor: Actor, programme_ids: Collection[int] | None = None) -> Erasure:
    """Anonymise everything held about ``email`` (in these programmes; ``None``: all), now.

    Holders of the apps higher up go first (feedback, attendance, then bookings): each finds
    what it holds through the booking's address, which the bookings holder replaces."""
    email = email.strip().lower()
    ids = None if programme_ids is None else sorted(programme_ids)
    with transaction.atomic():
        counts = {
            holder.name: holder.erase(email, reason=reason, actor=actor, programme_ids=ids)
            for holder in reversed(holders())
        }
        erasure = Erasure(counts=counts)
        record(
            actor=actor,
            action=AuditEvent.Action.ERASED_PERSON,
            summary=f"Erased the details of {reference(email)}: {describe(counts)}. Reason: {reason}",
            programme_id=ids[0] if ids is not None and len(ids) == 1 else None,
        )
    return erasure
