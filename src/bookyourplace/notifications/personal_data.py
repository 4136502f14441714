"""What the outbox holds about a person, and removing it.

An email row keeps its recipient's address, the organiser's note it carried (a cancellation
reason can name someone) and the error text of failed attempts (a mail server's refusal
quotes the address). The words of the email itself are not stored: they are written when
the email is sent, from what it is about (notifications/composing.py), so once the booking
is anonymised nothing else remains. An organiser's Message keeps no recipients, only a
count: who got it is its email rows.

The outbox knows no bookings, so emails are found and anonymised through what they are
about (bookings/personal_data.py calls ``anonymise_emails``); this holder adds what only
the outbox can: error texts quoting the address anywhere, and, in development, the email
files the file backend wrote (``var/mail``; never used in production).
"""

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from bookyourplace.notifications.models import Email
from bookyourplace.privacy.personal_data import PersonalDataHolder

# Development email files are copies for a developer to read, not records: kept this long.
MAIL_FILE_DAYS = 30


def anonymise_emails(emails: QuerySet[Email]) -> int:
    """Remove the recipient, note and error text of these emails; one not yet sent is not sent."""
    emails.filter(status=Email.Status.QUEUED).update(status=Email.Status.SKIPPED)
    return emails.update(to="", note="", last_error="")


def email_records(emails: QuerySet[Email]) -> list[dict]:
    """What subject access shows of each email: which one, to whom, whether and when it went."""
    return [
        {
            "Email": email.kind.replace("_", " "),
            "To": email.to,
            "Status": email.get_status_display(),
            "Sent": email.sent_at,
        }
        for email in emails.order_by("created_at", "id")
    ]


FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def _mail_files() -> list[Path]:
    """The files the development email backend wrote (none with any other backend)."""
    folders = [
        Path(mailer["OPTIONS"]["file_path"])
        for mailer in getattr(settings, "MAILERS", {}).values()
        if mailer.get("BACKEND") == FILE_BACKEND and mailer.get("OPTIONS", {}).get("file_path")
    ]
    return [path for folder in folders if folder.is_dir() for path in folder.glob("*") if path.is_file()]


def _mentions(path: Path, email: str) -> bool:
    text = path.read_bytes().decode("utf-8", errors="replace").lower()
    # Quoted-printable bodies break long lines with "=" at the end.
    return email in text or email in text.replace("=\n", "").replace("=\r\n", "")


def delete_mail_files_mentioning(email: str) -> int:
    """Development only: delete the email files that hold the address (a file may hold other
    people's emails too; they are test copies, so the whole file goes)."""
    gone = 0
    for path in _mail_files():
        if _mentions(path, email.lower()):
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def delete_old_mail_files(*, now: datetime) -> int:
    cutoff = (now - timedelta(days=MAIL_FILE_DAYS)).timestamp()
    gone = 0
    for path in _mail_files():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def erase(email: str, *, reason: str = "", actor=None, programme_ids=None) -> int:
    """Error texts quoting the address, anywhere; every email to it when not limited to some
    programmes (those about a booking are also reached through the booking); the email files
    of development."""
    changed = Email.objects.filter(last_error__icontains=email).update(last_error="")
    if programme_ids is None:
        changed += anonymise_emails(Email.objects.filter(to__iexact=email))
    return changed + delete_mail_files_mentioning(email)


def addresses() -> list[str]:
    return list(Email.objects.exclude(to="").values_list("to", flat=True).distinct())


HOLDER = PersonalDataHolder(
    name="emails",
    # Found through what they are about: a booking's emails are listed with the booking.
    find=lambda email, *, programme_ids=None: [],
    erase=erase,
    anonymise_due=lambda now: delete_old_mail_files(now=now),
    addresses=addresses,
    covers=("notifications.Email", "notifications.Message"),
)
