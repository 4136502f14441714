"""Messages reach a real HTTP receiver on loopback through the real worker, signed so that the
receiver can check them with hmac and hashlib alone; retried with back-off while the endpoint
fails, times out or refuses the connection; and each answer is in the delivery log."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookyourplace.core.periodic import run_registered_jobs
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.webhooks import delivery, endpoints, signing
from bookyourplace.webhooks.models import Delivery
from bookyourplace.webhooks.services import announce
from bookyourplace.webhooks.testing import SLOW, add_endpoint


def verify(received, secret: str) -> bool:
    """What a receiver does, with the standard library only (README, "Webhooks")."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{received.headers['webhook-id']}.{received.headers['webhook-timestamp']}.".encode() + received.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, given.removeprefix("v1,"))
        for given in received.headers["webhook-signature"].split()
    )


def booking_made(organiser, email: str) -> int:
    """What bookings/services.py announces when someone books (bookings/tests/test_webhooks.py
    checks that it does, with the whole booking record)."""
    data = {"reference": "BYP-7K2QD", "status": "confirmed", "attendee": {"first_name": "Alex", "email": email}}
    return announce(organiser_id=organiser.pk, event="booking.created", data=data)


def log_of(endpoint) -> list[tuple]:
    """The delivery log as the back office lists it: newest first."""
    return list(endpoint.deliveries.values_list("event", "status", "attempts", "response_status"))


def later(minutes=0, seconds=0, hours=0):
    """Move the clock on and let the every-minute run and the worker do what is then due."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes, seconds=seconds, hours=hours), tick=True)


def every_minute(run_worker):
    run_registered_jobs(now=timezone.now())
    run_worker()


def through_every_retry(start, run_worker) -> None:
    """From ``start``, when a message was first tried, to just after its last retry was due
    (30 s, 2 min, 10 min, 1 h, 6 h and 24 h apart), the every-minute run and the worker
    running whenever one is due."""
    offset = timedelta(0)
    for wait in delivery.RETRY_DELAYS:
        offset += wait + timedelta(seconds=5)
        with time_machine.travel(start + offset, tick=True):
            every_minute(run_worker)


def test_a_message_reaches_the_receiver_signed_so_that_it_can_check_it(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)

    booking_made(organiser, "alex.smith@coventry.gov.uk")
    run_worker()

    [received] = webhook_receiver.received
    assert received.path == "/webhooks/bookyourplace"
    assert received.headers["content-type"] == "application/json"
    assert verify(received, endpoint.secret)
    assert not verify(received, signing.new_secret())
    assert received.json["type"] == "booking.created"
    assert received.json["data"]["attendee"]["email"] == "alex.smith@coventry.gov.uk"
    assert abs(int(received.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert received.headers["webhook-id"].startswith("msg_")
    assert log_of(endpoint) == [("booking.created", "delivered", 1, 200)]


def test_a_body_changed_on_the_way_fails_the_check(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    booking_made(organiser, "alex.smith@coventry.gov.uk")
    run_worker()
    [received] = webhook_receiver.received

    tampered = type(received)(received.path, received.headers, received.body.replace(b"Alex", b"Sam!"))

    assert verify(received, endpoint.secret)
    assert not verify(tampered, endpoint.secret)


def test_after_a_rotation_both_secrets_sign_for_a_day(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    old_secret = endpoint.secret
    endpoint = endpoints.rotate_secret(endpoint=endpoint, actor=SYSTEM)

    booking_made(organiser, "alex@example.org")
    run_worker()
    with later(hours=25):
        booking_made(organiser, "bea@example.org")
        run_worker()

    first, second = webhook_receiver.received
    assert verify(first, endpoint.secret) and verify(first, old_secret)
    assert verify(second, endpoint.secret) and not verify(second, old_secret)


def test_a_failing_endpoint_is_tried_again_with_back_off_until_it_answers(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(500, SLOW)

    booking_made(organiser, "alex@example.org")
    run_worker()
    [message] = Delivery.objects.all()
    assert (message.status, message.attempts, message.response_status) == ("pending", 1, 500)
    assert message.next_attempt_at - message.last_attempt_at == timedelta(seconds=30)
    assert '"answer": 500' in message.response_excerpt

    with later(seconds=20):  # not due yet: nothing is sent
        every_minute(run_worker)
        assert len(webhook_receiver.received) == 1
    with later(seconds=31):  # the second attempt gets no answer in time
        every_minute(run_worker)
        message.refresh_from_db()
        assert (message.status, message.attempts, message.response_status) == ("pending", 2, None)
        assert message.error == "No answer within 1 second"
        assert message.next_attempt_at - message.last_attempt_at == timedelta(minutes=2)
    webhook_receiver.stop()  # then nothing listens at all
    with later(minutes=3):
        every_minute(run_worker)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("pending", 3)
        assert message.error.startswith("The connection was refused")
        assert message.next_attempt_at - message.last_attempt_at == timedelta(minutes=10)

    webhook_receiver.start()  # back again
    with later(minutes=14):
        every_minute(run_worker)

    assert log_of(endpoint) == [("booking.created", "delivered", 4, 200)]
    # Every attempt carried the same message, with the same id for the receiver to recognise.
    attempts = webhook_receiver.received
    assert len(attempts) == 4 - 1  # the refused one never arrived
    assert len({(request.headers["webhook-id"], request.body) for request in attempts}) == 1


def test_a_message_the_endpoint_never_takes_fails_after_seven_attempts_over_a_day_and_more(
    webhook_receiver, run_worker, organiser
):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(*[503] * 7)
    start = timezone.now()

    booking_made(organiser, "alex@example.org")
    run_worker()
    through_every_retry(start, run_worker)

    [message] = Delivery.objects.all()
    assert (message.status, message.attempts, message.response_status) == ("failed", 7, 503)
    assert message.next_attempt_at is None
    assert len(webhook_receiver.received) == 7
    assert log_of(endpoint) == [("booking.created", "failed", 7, 503)]


def test_an_endpoint_failing_for_days_is_switched_off_with_a_note_and_its_log_kept(
    webhook_receiver, run_worker, organiser
):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.stop()
    start = timezone.now()
    booking_made(organiser, "alex@example.org")
    run_worker()
    through_every_retry(start, run_worker)
    with time_machine.travel(start + timedelta(days=4), tick=True):
        booking_made(organiser, "bea@example.org")  # gives up after a day and more: day 5 and a bit
        run_worker()
    through_every_retry(start + timedelta(days=4), run_worker)

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.switched_off_note.startswith("Switched off automatically on ")
    assert "every attempt to deliver a message had failed since" in endpoint.switched_off_note
    assert sorted(endpoint.deliveries.values_list("status", flat=True)) == ["failed", "failed"]
    assert AuditEvent.objects.filter(action="webhook.switched_off", subject_id=str(endpoint.pk)).count() == 1

    booking_made(organiser, "cai@example.org")  # nothing more is queued for it while it is off
    assert endpoint.deliveries.count() == 2


def test_an_endpoint_that_answered_in_the_meantime_is_not_switched_off(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(*[500] * 7, 200, *[500] * 7)
    start = timezone.now()
    booking_made(organiser, "alex@example.org")
    run_worker()
    through_every_retry(start, run_worker)
    with time_machine.travel(start + timedelta(days=4), tick=True):
        booking_made(organiser, "bea@example.org")  # taken at once
        run_worker()
        booking_made(organiser, "cai@example.org")  # fails for good on day 5
        run_worker()
    through_every_retry(start + timedelta(days=4), run_worker)

    endpoint.refresh_from_db()
    assert [status for (_, status, *_) in log_of(endpoint)] == ["failed", "delivered", "failed"]
    assert endpoint.is_active
    assert endpoint.switched_off_note == ""


def test_messages_waiting_for_an_endpoint_switched_off_meanwhile_are_not_sent(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    booking_made(organiser, "alex@example.org")
    endpoints.change_endpoint(
        endpoint=endpoint,
        url=endpoint.url,
        description=endpoint.description,
        subscribed=endpoint.events,
        is_active=False,
        actor=SYSTEM,
    )

    run_worker()

    assert webhook_receiver.received == []
    [message] = endpoint.deliveries.all()
    assert (message.status, message.attempts, message.error) == ("skipped", 0, "Not sent: the endpoint is switched off")


def test_another_organisers_endpoint_is_told_nothing(webhook_receiver, run_worker, organiser):
    from bookyourplace.programmes.models import Organiser

    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = add_endpoint(elsewhere, webhook_receiver.url)

    booking_made(organiser, "alex@example.org")
    run_worker()

    assert webhook_receiver.received == []
    assert theirs.deliveries.count() == 0


def test_a_redirect_is_not_followed(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(301)

    booking_made(organiser, "alex@example.org")
    run_worker()

    assert [request.path for request in webhook_receiver.received] == ["/webhooks/bookyourplace"]
    [message] = endpoint.deliveries.all()
    assert (message.status, message.response_status) == ("pending", 301)
    assert message.error.startswith("Redirects are not followed")


def test_an_endpoint_that_does_not_answer_costs_a_run_one_wait_not_one_per_message(
    webhook_receiver, run_worker, organiser
):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(SLOW, SLOW, SLOW)
    for n in range(3):
        booking_made(organiser, f"person{n}@example.org")

    run_worker()

    assert len(webhook_receiver.received) == 1
    errors = list(endpoint.deliveries.order_by("pk").values_list("attempts", "error"))
    assert errors == [
        (1, "No answer within 1 second"),
        (1, "Not tried: the message before it got no answer (No answer within 1 second)"),
        (1, "Not tried: the message before it got no answer (No answer within 1 second)"),
    ]


def test_a_slow_endpoint_does_not_hold_up_another(webhook_receiver, run_worker, organiser):
    from bookyourplace.webhooks.testing import Receiver

    slow = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(SLOW)
    other = Receiver()
    other.start()
    try:
        quick = add_endpoint(organiser, other.url)
        booking_made(organiser, "alex@example.org")

        run_worker()
    finally:
        other.stop()

    assert slow.deliveries.get().status == "pending"
    assert quick.deliveries.get().status == "delivered"


def test_messages_a_killed_worker_left_are_sent_again_after_the_lease(webhook_receiver, run_worker, organiser):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    booking_made(organiser, "alex@example.org")
    # A worker claimed it and was killed before it wrote down the answer.
    delivery._claim(now=timezone.now(), limit=10, delivery_id=None)
    run_worker()
    assert webhook_receiver.received == []

    with later(seconds=delivery.claim_lease().total_seconds() + 61):
        every_minute(run_worker)

    assert endpoint.deliveries.get().status == "delivered"
    assert len(webhook_receiver.received) == 1


def test_the_worker_refuses_a_private_address_unless_allowed(webhook_receiver, run_worker, organiser, settings):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    settings.BYP_WEBHOOKS_ALLOW_PRIVATE = False
    settings.DEBUG = True  # plain http allowed, as in development: private addresses still are not

    booking_made(organiser, "alex@example.org")
    run_worker()

    assert webhook_receiver.received == []
    message = endpoint.deliveries.get()
    assert message.status == "pending"
    assert message.error == (
        "127.0.0.1 is on a private network (127.0.0.1), which Book Your Place does not send to. "
        "Use an address that can be reached from the internet"
    )


def test_announce_writes_a_message_for_each_subscribed_endpoint_with_one_id(organiser, webhook_receiver):
    first = add_endpoint(organiser, webhook_receiver.url, subscribed=["booking.created"])
    second = add_endpoint(organiser, webhook_receiver.url + "/2", subscribed=["session.changed"])
    third = add_endpoint(organiser, webhook_receiver.url + "/3", subscribed=["booking.created", "session.changed"])

    queued = announce(organiser_id=organiser.pk, event="session.changed", data={"changed": ["room"]})

    assert queued == 2
    assert first.deliveries.count() == 0
    ids = {second.deliveries.get().message_id, third.deliveries.get().message_id}
    assert len(ids) == 1
    assert json.loads(second.deliveries.get().payload)["data"] == {"changed": ["room"]}


@pytest.mark.parametrize("attempts", [1, 6])
def test_retry_delays_grow_to_a_day(attempts):
    assert delivery.retry_delay(attempts) == delivery.RETRY_DELAYS[attempts - 1]
    assert delivery.retry_delay(7) is None
