"""Delivering webhook messages: the worker's side of the outbox (services.py: announce).

A run claims due rows in batches (SKIP LOCKED on PostgreSQL, so several workers share the
work and none sends a row another holds), sends them, and writes down each answer the moment
it comes: 2xx is delivered; anything else (an error status, a redirect, which is never
followed, a timeout, a refused connection, an address that may not be sent to) is tried again
after 30 seconds, 2 minutes, 10 minutes, 1 hour, 6 hours and 24 hours, then marked failed,
about 31 hours after the first attempt. An organiser can send a failed one again from the
delivery log.

Endpoints are sent to side by side (up to PARALLEL_ENDPOINTS at once, in threads that only
talk HTTP; the database is written from the run's own thread), and one endpoint's messages
one after the other, oldest first. When an endpoint gives no answer at all, the rest of its
messages in the batch are not tried (each counts as an attempt, saying why): a dead endpoint
costs a run one timeout, not one per message, and keeps its place in the back-off.

Retries are picked up by the every-minute run (``run_periodic``, registered in
WebhooksConfig.ready), which asks for a delivery run when one is due, so a retry adds no task
of its own. Delivery is at least once: a worker killed mid-batch leaves its rows in SENDING,
and after the lease they are sent again, with the same ``webhook-id`` (a receiver ignores an
id it has already handled, as the Standard Webhooks specification asks).

An endpoint that has failed every attempt for BYP_WEBHOOK_SWITCH_OFF_AFTER_DAYS, and has
just given up on a message, is switched off with a note; its log is kept, and messages
still waiting for it are not sent while it is off.
"""

import logging
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from bookyourplace.core import task_runs
from bookyourplace.privacy.services import SYSTEM, record
from bookyourplace.webhooks import events, http, signing
from bookyourplace.webhooks.endpoints import secrets_in_use
from bookyourplace.webhooks.models import Delivery, Endpoint

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
PARALLEL_ENDPOINTS = 8
# The waits after the 1st, 2nd... failed attempt; after the last, the message has failed.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task(queue_name="webhooks")
def deliver_webhooks() -> dict:
    """Send every due webhook message (see deliver_due)."""
    return deliver_due()


def request_delivery() -> None:
    """A delivery run now, or once the caller's transaction commits, unless one is waiting."""
    task_runs.request_run(deliver_webhooks)


def run_periodic(*, now: datetime) -> None:
    """The every-minute safety net and retry clock: rows a killed worker abandoned, retries
    that have fallen due, and a run lost with a process that died after its commit."""
    if recover_abandoned(now=now) or has_due(now=now):
        request_delivery()


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after ``attempts`` failed attempts; None when that was the last."""
    return RETRY_DELAYS[attempts - 1] if 1 <= attempts < MAX_ATTEMPTS else None


def claim_lease() -> timedelta:
    """Longer than any batch can take: every row of it to one endpoint, each timing out."""
    return timedelta(seconds=BATCH_SIZE * settings.BYP_WEBHOOK_TIMEOUT_SECONDS + 60)


def _due(now: datetime):
    return Delivery.objects.filter(status=Delivery.Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def has_due(*, now: datetime) -> bool:
    return _due(now).exists()


def recover_abandoned(*, now: datetime | None = None) -> int:
    """Rows a killed worker left in SENDING, once the lease has passed: due again."""
    now = now or timezone.now()
    recovered = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - claim_lease()).update(
        status=Delivery.Status.PENDING, next_attempt_at=now
    )
    if recovered:
        logger.warning("Recovered %s webhook deliveries a worker abandoned; sending them again", recovered)
    return recovered


def _claim(*, now: datetime, limit: int, delivery_id: int | None) -> list[int]:
    with transaction.atomic():
        due = _due(now).order_by("pk")
        if delivery_id is not None:
            due = due.filter(pk=delivery_id)
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
            )
    return ids


def deliver_due(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE, delivery_id: int | None = None
) -> dict[str, int]:
    """Send due messages until none are left. Returns counts by outcome. Safe with any
    number of workers at once."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
    if delivery_id is None:
        recover_abandoned(now=now)
    while ids := _claim(now=now, limit=batch_size, delivery_id=delivery_id):
        if delivery_id is None and len(ids) == batch_size:
            request_delivery()  # probably more due: a second worker may join in
        _deliver_batch(ids, counts)
        if delivery_id is not None:
            break
        now = timezone.now()
    return counts


@dataclass(frozen=True)
class _Message:
    """What a sending thread needs, read beforehand: the threads never touch the database."""

    pk: int
    url: str
    message_id: str
    body: bytes
    secrets: tuple[str, ...]


def _deliver_batch(ids: list[int], counts: dict[str, int]) -> None:
    rows = {row.pk: row for row in Delivery.objects.filter(pk__in=ids).select_related("endpoint").order_by("pk")}
    now = timezone.now()
    by_endpoint: dict[int, list[_Message]] = {}
    for row in rows.values():
        if not row.endpoint.is_active and row.event != events.PING:
            _skip(row)
            counts["skipped"] += 1
            continue
        by_endpoint.setdefault(row.endpoint_id, []).append(
            _Message(
                pk=row.pk,
                url=row.endpoint.url,
                message_id=row.message_id,
                body=row.payload.encode(),
                secrets=tuple(secrets_in_use(row.endpoint, now=now)),
            )
        )
    if not by_endpoint:
        return
    answers: queue.SimpleQueue = queue.SimpleQueue()
    timeout = settings.BYP_WEBHOOK_TIMEOUT_SECONDS
    with ThreadPoolExecutor(max_workers=min(PARALLEL_ENDPOINTS, len(by_endpoint))) as pool:
        for messages in by_endpoint.values():
            pool.submit(_send_in_turn, messages, answers, timeout)
        for _ in range(sum(len(messages) for messages in by_endpoint.values())):
            try:
                pk, answer = answers.get(timeout=claim_lease().total_seconds())
            except queue.Empty:  # a sending thread died: its rows are taken back after the lease
                logger.error("Webhook delivery run gave up waiting for an answer")
                break
            counts[_record(rows[pk], answer)] += 1


def _send_in_turn(messages: list[_Message], answers: queue.SimpleQueue, timeout: float) -> None:
    """One endpoint's messages, oldest first, each answer handed back as it comes. Every
    message gets an answer, whatever happens, so the run never waits for one forever."""
    unanswered: str | None = None
    for message in messages:
        if unanswered is not None:
            answers.put(
                (
                    message.pk,
                    http.Answer(
                        error=_("Not tried: the message before it got no answer (%(error)s)") % {"error": unanswered}
                    ),
                )
            )
            continue
        try:
            answer = _attempt(message, timeout)
        except Exception as exc:  # a bug must not leave the run waiting
            logger.exception("Webhook delivery %s could not be attempted", message.pk)
            answer = http.Answer(error=_("Could not be sent: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"})
        answers.put((message.pk, answer))
        if not answer.reached:
            unanswered = answer.error


def _attempt(message: _Message, timeout: float) -> http.Answer:
    timestamp = int(timezone.now().timestamp())
    headers = signing.headers(
        secrets_in_use=list(message.secrets), message_id=message.message_id, timestamp=timestamp, body=message.body
    )
    return http.post(message.url, body=message.body, headers=headers, timeout=timeout)


def _record(row: Delivery, answer: http.Answer) -> str:
    """Write down what the attempt came to; the outcome's name."""
    at = timezone.now()
    outcome = {
        "last_attempt_at": at,
        "response_status": answer.status,
        "response_excerpt": answer.excerpt[:500],
        "error": answer.error[:500],
    }
    mine = Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING)
    if answer.delivered:
        mine.update(status=Delivery.Status.DELIVERED, delivered_at=at, next_attempt_at=None, **outcome)
        Endpoint.objects.filter(pk=row.endpoint_id, failing_since__isnull=False).update(failing_since=None)
        return "delivered"
    Endpoint.objects.filter(pk=row.endpoint_id, failing_since__isnull=True).update(failing_since=at)
    delay = retry_delay(row.attempts)
    if delay is not None:
        mine.update(status=Delivery.Status.PENDING, next_attempt_at=at + delay, **outcome)
        logger.info("Webhook delivery %s failed (%s); trying again at %s", row.pk, _said(answer), at + delay)
        return "retrying"
    mine.update(status=Delivery.Status.FAILED, next_attempt_at=None, **outcome)
    logger.warning("Webhook delivery %s failed after %s attempts (%s)", row.pk, row.attempts, _said(answer))
    _switch_off_if_failing_for_long(row.endpoint_id, now=at)
    return "failed"


def _said(answer: http.Answer) -> str:
    return f"HTTP {answer.status}" if answer.status is not None else answer.error


def _skip(row: Delivery) -> None:
    Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SKIPPED,
        attempts=F("attempts") - 1,
        next_attempt_at=None,
        error=_("Not sent: the endpoint is switched off"),
    )


def _switch_off_if_failing_for_long(endpoint_id: int, *, now: datetime) -> None:
    since = now - timedelta(days=settings.BYP_WEBHOOK_SWITCH_OFF_AFTER_DAYS)
    endpoint = Endpoint.objects.filter(pk=endpoint_id, is_active=True, failing_since__lte=since).first()
    if endpoint is None:
        return
    note = _(
        "Switched off automatically on %(now)s: every attempt to deliver a message had failed since %(since)s. "
        "Check the endpoint, then switch it on again."
    ) % {"now": _when(now), "since": _when(endpoint.failing_since)}
    with transaction.atomic():
        if Endpoint.objects.filter(pk=endpoint_id, is_active=True).update(is_active=False, switched_off_note=note):
            record(
                actor=SYSTEM,
                action="webhook.switched_off",
                summary=f"Switched off webhook endpoint {endpoint.url}: every attempt had failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC",
                subject=endpoint,
            )
    logger.warning("Webhook endpoint %s switched off: failing since %s", endpoint_id, endpoint.failing_since)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")
