"""Delivering the outbox.

The worker delivers due rows in batches over one SMTP connection, marks each one sent the
moment the server accepts it, and retries with back-off while the mail server is
unreachable. Each email is written as it goes, by the app that queued it (composing.py).

A worker killed mid-batch (SIGKILL) leaves its claimed rows in SENDING. After a lease they
are recovered: rows it never started are queued again; the one it was sending at that
instant may or may not have arrived, so it is marked failed ("in doubt") for an organiser
to re-send rather than risk sending it twice.

The delivery task lives here, beside the engine, because the engine asks for runs of it
itself (a second worker for a long queue, a later run for a retry).
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email import policy as email_policy

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from bookyourplace.core import task_runs
from bookyourplace.notifications import composing, notify
from bookyourplace.notifications.models import Email, NotifySettings

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# Emails claimed and sent per round; each is marked sent the moment the server accepts it.
BATCH_SIZE = 50
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 60 * 60


@task(queue_name="email")
def deliver_outbox() -> dict:
    """Send every due email in the outbox (see deliver_due)."""
    return deliver_due()


def request_delivery(*, run_after: datetime | None = None) -> None:
    """Ask the worker for a delivery run (now, or at ``run_after``); a run asked for now is
    asked once per transaction, after it commits, and only if none is waiting
    (core/task_runs.py)."""
    if run_after is not None:
        deliver_outbox.using(run_after=run_after).enqueue()
        return
    task_runs.request_run(deliver_outbox)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS))


def has_due_email(*, now: datetime) -> bool:
    return _due(now).exists()


def _due(now):
    return Email.objects.filter(status=Email.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _claim(*, now, limit: int, email_id: int | None = None) -> list[int]:
    """Take up to ``limit`` due rows for this worker. Rows another worker holds are skipped
    (SKIP LOCKED on PostgreSQL; SQLite runs one writer at a time), and the conditional
    UPDATE means a row is only ever claimed once."""
    with transaction.atomic():
        due = _due(now).order_by("pk")
        if email_id is not None:
            due = due.filter(pk=email_id)
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if ids:
            Email.objects.filter(pk__in=ids, status=Email.Status.QUEUED).update(
                status=Email.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, send_started_at=None
            )
    return ids


def recover_abandoned(*, now: datetime | None = None) -> int:
    """Rows a killed worker left in SENDING, once their lease has passed."""
    now = now or timezone.now()
    stale = Email.objects.filter(status=Email.Status.SENDING, claimed_at__lt=now - claim_lease())
    never_started = stale.filter(send_started_at__isnull=True).update(status=Email.Status.QUEUED)
    in_doubt = stale.filter(send_started_at__isnull=False).update(
        status=Email.Status.FAILED,
        last_error="The worker stopped while sending this email: it may or may not have arrived. Re-send it if needed.",
    )
    if never_started or in_doubt:
        logger.warning("Recovered %s unsent emails; %s in doubt marked failed", never_started, in_doubt)
    return never_started + in_doubt


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.BYP_EMAIL_CLAIM_LEASE_SECONDS)


def deliver_due(
    *, batch_size: int = BATCH_SIZE, email_id: int | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Send due emails over one SMTP connection until none are left (or the server fails).

    An email that cannot be built, or that the server refuses, fails alone (its reason kept
    in ``last_error``) and the run goes on with the next; only a server that cannot be
    reached or drops the connection holds back the rest of the batch.

    Returns counts by outcome. Safe with any number of workers at once.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "retrying": 0, "deferred": 0, "failed": 0, "skipped": 0}
    if email_id is None:
        recover_abandoned(now=now)
    connection = mailers.default  # opened on the first email, kept open for the run
    unmarked: list[int] = []  # accepted by the server; marked sent with the next one's start
    routes: dict[int | None, NotifySettings | None] = {}  # each organisation's way, read once a run
    try:
        while ids := _claim(now=now, limit=batch_size, email_id=email_id):
            if email_id is None and len(ids) == batch_size:
                # More are probably due: ask for another run, so a second worker joins in.
                request_delivery()
            emails = Email.objects.select_related("message").in_bulk(ids)
            about = composing.load_about(emails.values())
            for position, pk in enumerate(ids):
                email = emails.get(pk)
                thing = about.get((email.about_type_id, email.about_id)) if email is not None else None
                outcome = _send_one(pk, connection, now, email, thing, unmarked, routes)
                if outcome == "taken_back":
                    continue
                counts[outcome] += 1
                if outcome == "retrying":
                    # The server is unreachable: give the rest of the batch back untouched
                    # (only the rows still ours: claimed_at is this batch's claim).
                    Email.objects.filter(
                        pk__in=ids[position + 1 :], status=Email.Status.SENDING, claimed_at=now
                    ).update(status=Email.Status.QUEUED, attempts=F("attempts") - 1)
                    return counts
            _mark_sent(unmarked)
            if email_id is not None:
                break
            now = timezone.now()
    finally:
        try:
            _mark_sent(unmarked)
        finally:
            connection.close()
    return counts


def _mark_sent(ids: list[int]) -> None:
    """Mark these emails sent, then empty the list."""
    if ids:
        Email.objects.filter(pk__in=ids).update(status=Email.Status.SENT, sent_at=timezone.now(), last_error="")
        ids.clear()


def route_for(email: Email, about, routes: dict | None = None) -> NotifySettings | None:
    """How this email goes: the Notify settings of the organisation it is sent for when that
    organisation sends by GOV.UK Notify, otherwise None (the install's SMTP server).
    ``routes``: each organisation's answer already read in this run."""
    organiser_id = composing.organiser_id_of(email, about)
    routes = {} if routes is None else routes
    if organiser_id not in routes:
        routes[organiser_id] = notify.settings_for(organiser_id)
    return routes[organiser_id]


def _send_one(pk: int, connection, now, email: Email | None, about, unmarked: list[int], routes: dict) -> str:
    if not _start_sending(pk, now, unmarked):
        return "taken_back"
    try:
        message = _build(email, about) if email is not None else None
        if message is None:
            # No longer wanted, says the app that writes it (a reminder for a place cancelled
            # since), or deleted since it was queued, with what it was about.
            Email.objects.filter(pk=pk).update(status=Email.Status.SKIPPED)
            return "skipped"
    except Exception as exc:
        # Something in this one email cannot be made into a message (a header with a line
        # break, a broken template, an address that cannot be encoded): it will not get
        # better by trying again, and the other emails must not wait for it.
        return _fail(email, _("This email could not be built: %(error)s") % {"error": _describe(exc)})
    by_notify = route_for(email, about, routes)
    if by_notify is not None or email.channel == "sms":
        return _send_by_notify(email, by_notify, message, now, unmarked)
    try:
        connection.open()
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        # The server will never take this address: retrying cannot help.
        return _fail(email, _("The mail server refused the address: %(error)s") % {"error": _describe(exc)})
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        # The server is there and answered about this one message; the connection is still
        # good for the next. (421 is the server closing down: that is the whole batch's.)
        if exc.smtp_code == 421:
            return _retry_later(email, exc, now)
        if 400 <= exc.smtp_code < 500:
            return _retry_this_one_later(email, exc, now)
        return _fail(email, _("The mail server refused this email: %(error)s") % {"error": _describe(exc)})
    except (smtplib.SMTPException, OSError) as exc:
        # The server is unreachable, hung up or will not talk to us (SMTP errors are
        # OSErrors too, hence the order): nothing in this batch can go now.
        return _retry_later(email, exc, now)
    except Exception as exc:
        # Failed on the way out for a reason of its own (e.g. an address the server cannot
        # take in its encoding). The SMTP conversation may be half way through a message:
        # reset it, or start a new connection for the next email.
        _reset(connection)
        return _fail(email, _("This email could not be sent: %(error)s") % {"error": _describe(exc)})
    unmarked.append(pk)
    return "sent"


def _send_by_notify(email: Email, by_notify: NotifySettings | None, message, now, unmarked: list[int]) -> str:
    """One email or text message through GOV.UK Notify (notify.py): sent, retried later
    alone (429, 5xx, no answer), or failed with Notify's reason (400, 403)."""
    reference = email.message_id_local_part
    try:
        if email.channel == "sms":
            if by_notify is None or not by_notify.sends_texts:
                # The organisation has stopped sending texts since this one was queued.
                Email.objects.filter(pk=email.pk).update(status=Email.Status.SKIPPED)
                return "skipped"
            notify.send_text(notify=by_notify, text=message, reference=reference)
        else:
            notify.send_email(notify=by_notify, kind=email.kind, to=email.to, message=message, reference=reference)
    except notify.NotifyUnavailable as exc:
        return _retry_this_one_later(email, exc, now)
    except notify.NotifyRefused as exc:
        return _fail(email, _("GOV.UK Notify refused this message: %(error)s") % {"error": exc})
    except Exception as exc:
        return _fail(email, _("This message could not be sent by GOV.UK Notify: %(error)s") % {"error": _describe(exc)})
    unmarked.append(email.pk)
    return "sent"


def _start_sending(pk: int, now, unmarked: list[int]) -> bool:
    """Mark this email started, unless it has been taken back; False if it has.

    ``now`` is when this batch was claimed. A batch that outlasts its lease may have had
    this row taken back (and claimed by another worker): then it is theirs to send.
    ``unmarked``: emails this run just sent, not yet marked; they are marked sent in the
    same commit as this one's start, right after the server accepted them (one commit per
    email, not two: on PostgreSQL each commit waits for the disk).
    """
    started = Email.objects.filter(pk=pk, status=Email.Status.SENDING, claimed_at=now, send_started_at=None)
    marks = list(unmarked)
    with transaction.atomic():
        _mark_sent(marks)
        was_started = started.update(send_started_at=timezone.now())
    unmarked.clear()  # committed
    if not was_started:
        logger.warning("Email %s was taken back after its claim lease ran out; not sending it here", pk)
    return bool(was_started)


def _build(email: Email, about):
    """The message, built to the last header now: building it is where a bad value fails,
    and that must be told apart from the server failing."""
    message = composing.compose(email, about)
    if message is not None and not isinstance(message, notify.TextMessage):
        _build_once(message)
        message.message(policy=email_policy.SMTP)  # as the SMTP backend will
        message.recipients()
    return message


def _build_once(message) -> None:
    """Keep what message() builds, by policy, so that the mail backend sends the message
    built here rather than building it all again (a third of an email's cost)."""
    build, built = message.message, {}

    def message_once(*, policy=email_policy.default):
        if policy not in built:
            built[policy] = build(policy=policy)
        return built[policy]

    message.message = message_once


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1900]


def _fail(email: Email, reason: str) -> str:
    """This email alone has failed for good; the run goes on with the next."""
    logger.error("Email %s (%s) failed: %s", email.pk, email.kind, reason)
    Email.objects.filter(pk=email.pk).update(status=Email.Status.FAILED, last_error=reason)
    return "failed"


def _reset(connection) -> None:
    smtp = getattr(connection, "connection", None)
    if smtp is None:
        return
    try:
        smtp.rset()
    except Exception:
        connection.close()  # opened again for the next email


def _retry_this_one_later(email: Email, exc: Exception, now) -> str:
    """The server put off this one message (a 4xx answer): it tries again later, alone."""
    outcome = _retry_later(email, exc, now)
    return "failed" if outcome == "failed" else "deferred"


def _retry_later(email: Email, exc: Exception, now) -> str:
    if email.attempts >= MAX_ATTEMPTS:
        logger.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, exc)
        Email.objects.filter(pk=email.pk).update(status=Email.Status.FAILED, last_error=str(exc)[:2000])
        return "failed"
    next_attempt = now + retry_delay(email.attempts)
    logger.warning("Email %s not sent (%s); trying again at %s", email.pk, exc, next_attempt.isoformat())
    with transaction.atomic():
        Email.objects.filter(pk=email.pk).update(
            status=Email.Status.QUEUED, last_error=str(exc)[:2000], next_attempt_at=next_attempt, send_started_at=None
        )
        request_delivery(run_after=next_attempt)
    return "retrying"


def deliver(*, email_id: int) -> str:
    """Send this one email if it is due. Returns its status afterwards."""
    deliver_due(email_id=email_id, batch_size=1)
    return Email.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
