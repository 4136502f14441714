"""Messages from organisers to the confirmed attendees of a session or a whole programme.

The organiser writes a subject and a body with placeholders such as ``{first_name}``; each
attendee's email fills them in for their own booking when the worker sends it. Placeholders
are filled by name only: nothing in the text can reach an attribute, an index or a format
specification, so ``{name.__class__}`` is refused like any unknown placeholder.

Sending writes the Message and one outbox row per confirmed attendee in one transaction;
one delivery run sends them all, in batches. The message carries an idempotency key made when the preview was shown:
sending the same preview twice finds the key taken and sends nothing more.
"""

import string
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.joining import joining_details_for
from bookyourplace.bookings.links import manage_url
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.formatting import session_date, time_range
from bookyourplace.notifications.models import Email, Message
from bookyourplace.notifications.queueing import outbox_email, queue_emails
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Programme, Session

# Stands in for an attendee's manage token in previews; a real token never looks like this.
EXAMPLE_TOKEN = "EXAMPLE-LINK"

SUBJECT_MAX_LENGTH = Message._meta.get_field("subject").max_length
BODY_MAX_LENGTH = 10000

# Every placeholder an organiser may write, with what it becomes, for the hint on the form.
PLACEHOLDERS = {
    "name": gettext_lazy("the attendee's full name"),
    "first_name": gettext_lazy("the attendee's first name"),
    "session_title": gettext_lazy("the title of the session they booked"),
    "session_date": gettext_lazy("its date, like Monday 19 January 2026"),
    "session_time": gettext_lazy("its time, like 13:00 to 15:00"),
    "manage_link": gettext_lazy("their private link to manage or cancel their booking"),
    "joining_details": gettext_lazy("the joining link and instructions (online sessions only; empty for in-person)"),
}


class InvalidMessage(DomainError):
    """The subject or body cannot be sent as written. ``problems`` holds every problem by the
    field it is about (subject, body), so the form shows them all at once; ``message`` and
    ``field`` are the first (None: not about one field)."""

    def __init__(self, problems: dict[str | None, list[str]]):
        field, messages = next(iter(problems.items()))
        super().__init__(messages[0], field=field)
        self.problems = problems


class NobodyToMessage(DomainError):
    message = gettext_lazy("There is nobody to send to.")


@dataclass(frozen=True)
class MessageDraft:
    """A subject and body not yet sent: what the preview renders."""

    subject: str
    body: str


def placeholder_list() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def _parse(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) pairs; raises ValueError on a stray brace."""
    parts = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            parts.append((literal, None))
            continue
        # Write the placeholder back as the organiser wrote it, conversion and spec included,
        # so an error names exactly what they typed.
        written = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        parts.append((literal, written))
    return parts


def _problems(template: str) -> list[str]:
    try:
        parts = _parse(template)
    except ValueError:
        return [
            _(
                "Check the curly brackets: each placeholder needs an opening and a closing bracket, like {first_name}. "
                "To show a bracket itself, write it twice: {{ or }}."
            )
        ]
    problems = []
    for _literal, written in parts:
        if written is None or written in PLACEHOLDERS:
            continue
        problem = _("Unknown placeholder {%(placeholder)s}. You can use: %(placeholders)s") % {
            "placeholder": written,
            "placeholders": placeholder_list(),
        }
        if problem not in problems:
            problems.append(problem)
    return problems


def check_message(*, subject: str, body: str) -> None:
    """Raise InvalidMessage (by field: subject, body) if the message cannot be sent as written."""
    errors: dict[str, list[str]] = {}
    subject = subject or ""
    body = body or ""
    if not subject.strip():
        errors.setdefault("subject", []).append(_("Enter a subject"))
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors.setdefault("subject", []).append(
            _("Subject must be %(max)d characters or fewer") % {"max": SUBJECT_MAX_LENGTH}
        )
    elif "\n" in subject or "\r" in subject:
        errors.setdefault("subject", []).append(_("Subject must be on one line"))
    else:
        errors.setdefault("subject", []).extend(_problems(subject))
    if not body.strip():
        errors.setdefault("body", []).append(_("Enter a message"))
    elif len(body) > BODY_MAX_LENGTH:
        errors.setdefault("body", []).append(
            _("Message must be %(max)d characters or fewer") % {"max": BODY_MAX_LENGTH}
        )
    else:
        errors.setdefault("body", []).extend(_problems(body))
    errors = {field: problems for field, problems in errors.items() if problems}
    if errors:
        raise InvalidMessage(errors)


def joining_details(booking: Booking) -> str:
    """The joining link and instructions, if this booking may see them (bookings/joining.py); else ''."""
    joining = joining_details_for(booking)
    if joining is None:
        return ""
    if joining.url:
        lines = [_("Join on %(platform)s:") % {"platform": joining.platform or _("the session")} + " " + joining.url]
    else:
        lines = [_("We will send you the joining link before the session.")]
    if joining.instructions:
        lines.append(joining.instructions)
    lines.append(_("This link is for you only. Please do not share it."))
    return "\n".join(lines)


def example_manage_url() -> str:
    """What {manage_link} shows in a preview: plainly an example, never a working link.

    The preview is seen by staff; an attendee's real manage link would let them act as that
    attendee (cancel, or decline an offer), so it only ever goes in the email itself.
    """
    return settings.SITE_URL + Booking.manage_path(EXAMPLE_TOKEN)


def placeholder_values(booking: Booking, *, preview: bool = False) -> dict[str, str]:
    session = booking.session
    tz = session.programme.tz
    return {
        "name": booking.full_name,
        "first_name": booking.first_name,
        "session_title": session.title,
        "session_date": session_date(session.starts_at, tz),
        "session_time": time_range(session.starts_at, session.ends_at, tz),
        "manage_link": example_manage_url() if preview else manage_url(booking),
        "joining_details": joining_details(booking),
    }


def fill(template: str, values: dict[str, str]) -> str:
    """Put the values in place of the placeholders, by name only (never attributes or indexes)."""
    out = []
    for literal, written in _parse(template):
        out.append(literal)
        if written is not None:
            if written not in PLACEHOLDERS:
                raise InvalidMessage({None: _problems(template)})
            out.append(values[written])
    return "".join(out)


def render_for(draft: MessageDraft | Message, booking: Booking, *, preview: bool = False) -> tuple[str, str]:
    """(subject, text) of a message (or draft) as this attendee receives it; in a preview,
    with an example manage link in place of theirs."""
    values = placeholder_values(booking, preview=preview)
    # A subject is one line, whatever a placeholder held.
    subject = " ".join(fill(draft.subject, values).split())
    return subject, fill(draft.body, values)


def preview_message(*, message_draft: MessageDraft, booking: Booking) -> tuple[str, str]:
    check_message(subject=message_draft.subject, body=message_draft.body)
    return render_for(message_draft, booking, preview=True)


def recipients(*, programme: Programme, session: Session | None = None) -> QuerySet[Booking]:
    """The confirmed attendees a message reaches: of the session, or of every session of the
    programme. A cancelled session has no attendees left to write to."""
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__programme=programme,
        session__status=Session.Status.SCHEDULED,
    )
    if session is not None:
        bookings = bookings.filter(session=session)
    return bookings.select_related("session__programme__organiser").order_by("created_at", "id")


def messages_for(*, programme: Programme, session: Session | None = None) -> QuerySet[Message]:
    """Messages already sent to this session's (or to the whole programme's) attendees."""
    found = Message.objects.filter(programme=programme, session=session)
    # The programme too: each row's time is shown in the programme's time zone.
    return found.select_related("created_by", "session", "programme").annotate(
        sent=Count("emails", filter=Q(emails__status=Email.Status.SENT)),
        failed=Count("emails", filter=Q(emails__status=Email.Status.FAILED)),
    )


def send_message(
    *,
    programme: Programme,
    session: Session | None,
    subject: str,
    body: str,
    idempotency_key: str,
    actor: Actor,
) -> Message:
    """Queue the message to every confirmed attendee; the worker sends it.

    If a message with this idempotency key exists (the same form submitted twice), that
    message is returned and nothing more is queued.
    """
    if session is not None and session.programme_id != programme.pk:
        raise ValueError("The session is not in this programme.")
    if not idempotency_key:
        raise ValueError("A message needs an idempotency key.")
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    check_message(subject=subject, body=body)
    user = actor.user if actor.user is not None and getattr(actor.user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            # The key first: a concurrent second submit waits on the unique index here and then fails.
            message = Message.objects.create(
                programme=programme,
                session=session,
                subject=subject,
                body=body,
                created_by=user,
                idempotency_key=idempotency_key,
            )
            attendees = list(recipients(programme=programme, session=session))
            if not attendees:
                raise NobodyToMessage()
            message.recipients = queue_emails(
                [
                    outbox_email(about=booking, kind=EmailKind.MESSAGE, to=booking.email, message=message)
                    for booking in attendees
                ]
            )
            message.save(update_fields=["recipients"])
            where = f"session '{session.title}'" if session is not None else f"programme '{programme.title}'"
            record(
                actor=actor,
                action=AuditEvent.Action.SENT_MESSAGE,
                summary=f"Sent message '{subject}' to {message.recipients} attendees of {where}",
                subject=message,
                programme_id=programme.pk,
            )
    except IntegrityError:
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return message


def message_progress(message: Message) -> tuple[int, int, int]:
    """(sent, total, failed) for the message's emails."""
    counts = Email.objects.filter(message=message).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=Email.Status.SENT)),
        failed=Count("id", filter=Q(status=Email.Status.FAILED)),
    )
    return counts["sent"], counts["total"], counts["failed"]
