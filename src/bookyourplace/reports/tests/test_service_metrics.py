"""Bookings, emails and webhook deliveries on /metrics (reports/service_metrics.py), read
from the database at scrape time, so any web server (or none of the workers) reports them."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from bookyourplace.bookings.testing import book
from bookyourplace.notifications.models import Email
from bookyourplace.webhooks.models import Delivery


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def bookings(samples, status: str) -> float:
    return samples[("byp_bookings", (("status", status),))]


def emails(samples, status: str) -> float:
    return samples[("byp_emails", (("status", status),))]


@pytest.mark.django_db
def test_bookings_and_emails_are_counted_by_status(client, make_session, attendees):
    # Arrange: three confirmed and sent (the fixture), one more place and one on the waiting list
    session = make_session(capacity=1)
    book(session, "dee@example.org")
    book(session, "eli@example.org", waiting=True)
    Email.objects.filter(to="alex@example.org").update(status=Email.Status.FAILED)

    # Act
    samples = scrape(client)

    # Assert
    assert bookings(samples, "confirmed") == 4
    assert bookings(samples, "waiting") == 1
    assert bookings(samples, "cancelled") == 0  # every status is reported, none left out
    assert emails(samples, "sent") == 2
    assert emails(samples, "failed") == 1
    assert emails(samples, "queued") == 2  # the new booking's and the waiting list's, not yet sent
    assert samples[("byp_metrics_collector_up", (("collector", "bookings_and_emails"),))] == 1


@pytest.mark.django_db
def test_the_oldest_email_due_says_how_long_delivery_has_waited(client, session):
    nothing = scrape(client)
    book(session, "dee@example.org")

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        late = scrape(client)

    assert nothing[("byp_email_oldest_due_seconds", ())] == 0
    assert 299 <= late[("byp_email_oldest_due_seconds", ())] <= 310


@pytest.mark.django_db
def test_an_email_waiting_for_its_retry_is_not_late(client, session):
    book(session, "dee@example.org")
    Email.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=30))

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        samples = scrape(client)

    assert samples[("byp_email_oldest_due_seconds", ())] == 0


@pytest.mark.django_db
def test_a_scrape_costs_the_same_queries_for_many_bookings_as_for_one(client, make_session):
    session = make_session(capacity=100)
    book(session, "first@example.org")
    with CaptureQueriesContext(connection) as one:
        scrape(client)
    for n in range(40):
        book(session, f"person{n}@example.org")

    with CaptureQueriesContext(connection) as many:
        samples = scrape(client)

    assert bookings(samples, "confirmed") == 41
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_webhook_deliveries_are_counted_by_status(client):
    samples = scrape(client)

    reported = {dict(labels)["status"]: n for (name, labels), n in samples.items() if name == "byp_webhook_deliveries"}
    assert reported == dict.fromkeys(Delivery.Status.values, 0)
    assert samples[("byp_metrics_collector_up", (("collector", "webhook_deliveries"),))] == 1
