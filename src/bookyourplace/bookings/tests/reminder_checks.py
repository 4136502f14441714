"""What the reminders tests read back: which reminder rows exist and which reminders went."""

from collections import Counter

from django.core import mail

from bookyourplace.bookings.emails import EmailKind
from bookyourplace.notifications.models import Email


def reminder_keys() -> list[tuple[str, str]]:
    """(recipient, reminder) for every reminder row, sorted."""
    rows = Email.objects.filter(kind=EmailKind.REMINDER).values_list("to", "dedupe_key")
    return sorted((to, key.rsplit(":", 1)[1]) for to, key in rows)


def reminders_sent() -> Counter:
    return Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Reminder: "))
