"""The back office's "Send a test message" and "Send again": both go through the worker, and
their results are in the endpoint's delivery log."""

import pytest

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.webhooks import endpoints, services
from bookyourplace.webhooks.errors import CannotResend, EndpointSwitchedOff
from bookyourplace.webhooks.testing import add_endpoint


def test_a_test_message_is_delivered_by_the_worker_and_logged(organiser, webhook_receiver, run_worker):
    endpoint = add_endpoint(organiser, webhook_receiver.url, is_active=False)  # checked before switching on

    services.send_test(endpoint=endpoint, actor=SYSTEM)
    assert webhook_receiver.received == []
    run_worker()

    [received] = webhook_receiver.received
    assert received.json["type"] == "ping"
    assert received.json["data"] == {"message": "A test message from Book Your Place.", "endpoint": endpoint.pk}
    test = endpoint.deliveries.get()
    assert (test.event, test.status, test.response_status) == ("ping", "delivered", 200)
    assert AuditEvent.objects.filter(action="webhook.test_sent").count() == 1


def test_a_failed_message_is_sent_again_with_the_same_id_and_body(organiser, webhook_receiver, run_worker):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(410)
    services.send_test(endpoint=endpoint, actor=SYSTEM)
    run_worker()
    failed = endpoint.deliveries.get()
    failed.status = "failed"  # as after its last retry
    failed.save()

    again = services.resend(delivery_id=failed.pk, endpoint=endpoint, actor=SYSTEM)
    run_worker()

    again.refresh_from_db()
    failed.refresh_from_db()
    assert (again.status, again.response_status, again.attempts) == ("delivered", 200, 1)
    assert failed.resent_at is not None
    first, second = webhook_receiver.received
    assert (first.headers["webhook-id"], first.body) == (second.headers["webhook-id"], second.body)
    with pytest.raises(CannotResend):  # once
        services.resend(delivery_id=failed.pk, endpoint=endpoint, actor=SYSTEM)
    with pytest.raises(CannotResend):  # and only a failed one
        services.resend(delivery_id=again.pk, endpoint=endpoint, actor=SYSTEM)


def test_a_message_is_not_sent_again_to_an_endpoint_switched_off(organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    services.announce(organiser_id=organiser.pk, event="booking.created", data={"reference": "BYP-7K2QD"})
    endpoint.deliveries.update(status="failed")
    endpoints.change_endpoint(
        endpoint=endpoint, url=endpoint.url, description="", subscribed=endpoint.events, is_active=False, actor=SYSTEM
    )

    with pytest.raises(EndpointSwitchedOff):
        services.resend(delivery_id=endpoint.deliveries.get().pk, endpoint=endpoint, actor=SYSTEM)


def test_a_message_of_another_endpoint_cannot_be_sent_again_through_this_one(organiser, webhook_receiver):
    mine = add_endpoint(organiser, webhook_receiver.url)
    other = add_endpoint(organiser, webhook_receiver.url + "/other")
    services.send_test(endpoint=other, actor=SYSTEM)
    other.deliveries.update(status="failed")

    with pytest.raises(CannotResend):
        services.resend(delivery_id=other.deliveries.get().pk, endpoint=mine, actor=SYSTEM)
