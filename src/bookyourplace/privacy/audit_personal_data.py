"""The audit log's part in removing a person's details (retention and erasure).

The log is append-only (migration 0003); removing a person is the one thing that may change
an entry, and only its personal parts: the actor's label when the person acted themselves,
the address they acted from, and their name or address in the summary. When, what, about
which record and by which account stay as written (migration 0005's triggers refuse any
other change, even here), so the log still says what happened, to "Anonymised".

The log knows no bookings: the app whose record it is says which entries are about it
(``subject_type`` and ``subject_id``, as ``record`` wrote them) and which words name the
person (bookings/personal_data.py, attendance/personal_data.py).
"""

import re
from collections.abc import Collection, Iterable, Mapping
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.personal_data import HeldRecord, PersonalDataHolder

ANONYMISED = "Anonymised"
ADDRESS_REMOVED = "[address removed]"
_BATCH = 500


@contextmanager
def _anonymising_window(using: str = DEFAULT_DB_ALIAS):
    """Let this transaction, and no other, rewrite the personal parts of audit rows (migration
    0005 says how the triggers read it); closed again before the block ends."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('bookyourplace.audit_anonymise', 'on', true)")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO privacy_audit_anonymise_window (opened) VALUES (1)")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('bookyourplace.audit_anonymise', '', true)")
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM privacy_audit_anonymise_window")


def _without(text: str, words: Iterable[str]) -> str:
    """``text`` with each of ``words`` (any case) replaced: addresses by "[address removed]",
    names by "Anonymised". Longest first, so "Alex Smith" goes before an "Alex" could."""
    for word in sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True):
        replacement = ADDRESS_REMOVED if "@" in word else ANONYMISED
        text = re.sub(re.escape(word), replacement, text, flags=re.IGNORECASE)
    return text


def _rewrite(events: Iterable[AuditEvent], words_for) -> int:
    """Rewrite each event's personal parts; how many changed."""
    changes = []
    for event in events:
        words = words_for(event)
        summary = _without(event.summary, words)
        by_the_person = event.actor_id is None and event.actor_label.strip().lower() in {
            w.strip().lower() for w in words if w
        }
        label = ANONYMISED if by_the_person else event.actor_label
        ip_address = None if by_the_person else event.ip_address
        if (summary, label, ip_address) != (event.summary, event.actor_label, event.ip_address):
            changes.append((label, ip_address, summary[:500], event.pk))
    if not changes:
        return 0
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(AuditEvent._meta.db_table)
    with _anonymising_window() as cursor:
        cursor.executemany(f"UPDATE {table} SET actor_label = %s, ip_address = %s, summary = %s WHERE id = %s", changes)
    return len(changes)


def anonymise_audit_entries(*, subject_type: str, words_by_subject: Mapping[object, Collection[str]]) -> int:
    """Remove the person from the entries about these records: ``words_by_subject`` maps each
    record's id to the words that name its person (their name, their addresses). Entries they
    made themselves lose their label and address; every summary loses their words. Returns how
    many entries changed."""
    words = {str(subject_id): tuple(names) for subject_id, names in words_by_subject.items()}
    changed = 0
    ids = list(words)
    for start in range(0, len(ids), _BATCH):
        events = AuditEvent.objects.filter(subject_type=subject_type, subject_id__in=ids[start : start + _BATCH])
        changed += _rewrite(events.order_by("id"), lambda event: words[event.subject_id])
    return changed


def entries_about(*, subject_type: str, subject_ids: Collection[object], excluding: str = "") -> list[HeldRecord]:
    """The audit entries about these records, for subject access (``excluding`` those whose
    summary holds this text: the log's own holder finds them by the address)."""
    events = AuditEvent.objects.filter(subject_type=subject_type, subject_id__in=[str(pk) for pk in subject_ids])
    if excluding:
        events = events.exclude(summary__icontains=excluding)
    return [_held(event) for event in events.order_by("created_at", "id")]


def _held(event: AuditEvent) -> HeldRecord:
    return HeldRecord(
        kind="Audit entry",
        when=event.created_at,
        fields={"What": event.get_action_display(), "Who": event.actor_label, "Summary": event.summary},
    )


def _mentioning(email: str, programme_ids):
    events = AuditEvent.objects.filter(summary__icontains=email)
    if programme_ids is not None:
        events = events.filter(programme_id__in=programme_ids)
    return events


def find(email: str, *, programme_ids=None) -> list[HeldRecord]:
    """Entries whose summary holds the address (a confirmation re-sent to it, say)."""
    return [_held(event) for event in _mentioning(email, programme_ids).order_by("created_at", "id")]


def erase(email: str, *, reason: str = "", actor=None, programme_ids=None) -> int:
    """Take the address out of every entry that quotes it."""
    return _rewrite(_mentioning(email, programme_ids).order_by("id"), lambda event: (email,))


HOLDER = PersonalDataHolder(name="audit_log", find=find, erase=erase, covers=("privacy.AuditEvent",))
