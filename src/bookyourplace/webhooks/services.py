"""Telling an organiser's endpoints what happened: the outbox of webhook messages.

``announce`` is called by the domain rule that made the change, inside its transaction
(bookings/services.py, approvals.py, session_changes.py; attendance/services.py). It writes
one Delivery row per endpoint that subscribed to the event, in that same transaction, so a
message exists if and only if the change does: never lost, never sent for a change that was
rolled back. The worker is asked for a delivery run once the transaction commits.

It runs inside every booking, thousands in a rush. For an organiser with no endpoint on for
the event it costs one query on a small table, by an index (organiser, active), and writes
nothing. That answer is not cached: a cache in each process cannot be told at once that
another process added an endpoint, and a stale "none" would lose messages; one indexed query
costs less than keeping a shared cache right.

The back office sends a test message (``send_test``) and sends again one that failed
(``resend``); endpoints themselves are added, changed and removed in endpoints.py.
"""

import json
import uuid
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bookyourplace.core.formatting import iso_utc
from bookyourplace.privacy.services import Actor, record
from bookyourplace.webhooks import delivery, events
from bookyourplace.webhooks.errors import CannotResend, EndpointSwitchedOff
from bookyourplace.webhooks.models import Delivery, Endpoint

Data = dict | Callable[[], dict]


def announce(*, organiser_id: int, event: str, data: Data, now: datetime | None = None) -> int:
    """Queue ``event`` for each of the organiser's active endpoints that subscribed to it.

    ``data``: the message's ``data``, or a function that makes it (called only when some
    endpoint wants it, so the busy path builds nothing for nobody). Returns how many
    deliveries were queued.
    """
    endpoint_ids = [
        pk
        for pk, subscribed in Endpoint.objects.filter(organiser_id=organiser_id, is_active=True).values_list(
            "pk", "events"
        )
        if event in subscribed
    ]
    if not endpoint_ids:
        return 0
    payload = message_body(event=event, data=data() if callable(data) else data, now=now)
    message_id = new_message_id()
    Delivery.objects.bulk_create(
        [Delivery(endpoint_id=pk, event=event, message_id=message_id, payload=payload) for pk in endpoint_ids]
    )
    delivery.request_delivery()
    return len(endpoint_ids)


def message_body(*, event: str, data: dict, now: datetime | None = None) -> str:
    """The JSON body, as every attempt sends and signs it."""
    return json.dumps(
        {"type": event, "timestamp": iso_utc(now or timezone.now()), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def send_test(*, endpoint: Endpoint, actor: Actor, now: datetime | None = None) -> Delivery:
    """Queue a ``ping`` to this endpoint, sent even while it is switched off (to check it
    before switching it on); its result shows in the endpoint's delivery log."""
    now = now or timezone.now()
    data = {"message": "A test message from Book Your Place.", "endpoint": endpoint.pk}
    with transaction.atomic():
        test = Delivery.objects.create(
            endpoint=endpoint,
            event=events.PING,
            message_id=new_message_id(),
            payload=message_body(event=events.PING, data=data, now=now),
        )
        record(
            actor=actor, action="webhook.test_sent", summary=f"Sent a test message to {endpoint.url}", subject=endpoint
        )
        delivery.request_delivery()
    return test


def resend(*, delivery_id: int, endpoint: Endpoint, actor: Actor, now: datetime | None = None) -> Delivery:
    """Send a message that failed (or was not sent) again, as a new delivery with the same
    id and body, so the receiver can tell it is the same message. Once per failure."""
    now = now or timezone.now()
    with transaction.atomic():
        failed = (
            Delivery.objects.select_for_update().select_related("endpoint").filter(endpoint=endpoint, pk=delivery_id)
        ).first()
        if failed is None or not failed.may_resend:
            raise CannotResend()
        if not failed.endpoint.is_active and failed.event != events.PING:
            raise EndpointSwitchedOff()
        failed.resent_at = now
        failed.save(update_fields=["resent_at"])
        again = Delivery.objects.create(
            endpoint=endpoint, event=failed.event, message_id=failed.message_id, payload=failed.payload
        )
        record(
            actor=actor,
            action="webhook.resent",
            summary=f"Sent the {failed.event} message {failed.message_id} to {endpoint.url} again",
            subject=endpoint,
        )
        delivery.request_delivery()
    return again
