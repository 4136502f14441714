"""Several workers share the due messages (SKIP LOCKED): each message is sent once."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from bookyourplace.webhooks import delivery
from bookyourplace.webhooks.models import Delivery
from bookyourplace.webhooks.services import announce
from bookyourplace.webhooks.testing import add_endpoint


def test_two_workers_at_once_send_each_message_once(transactional_db, organiser, webhook_receiver):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite runs one writer at a time, so there is nothing to share.")
    for n in range(3):
        add_endpoint(organiser, f"{webhook_receiver.url}/{n}")
    for n in range(40):  # 120 messages: more than two batches
        announce(organiser_id=organiser.pk, event="booking.created", data={"n": n})
    outcomes = []

    def worker():
        try:
            outcomes.append(delivery.deliver_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    received = Counter((request.path, request.json["data"]["n"]) for request in webhook_receiver.received)
    assert len(received) == 120
    assert set(received.values()) == {1}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert sum(outcome["delivered"] for outcome in outcomes) == 120
