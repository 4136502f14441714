"""The service's figures for Prometheus, read from the database at each scrape (/metrics,
core/metrics.py): bookings by status, emails by status and how long the oldest one due has
waited, webhook deliveries by status.

Here, above bookings, notifications and webhooks, because it reads all three; registered
with core/metrics.py in ReportsConfig.ready (webhooks apart, so that one failing leaves the
others reported). Each figure is one grouped count over an
indexed column, so a scrape costs a few milliseconds however many rows there are (and has a
statement timeout besides). Never personal data: counts only, labelled by status.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily, Metric

from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.webhooks.models import Delivery


def _by_status(model, statuses) -> dict[str, int]:
    counts = {str(status): 0 for status in statuses}
    for row in model.objects.order_by().values("status").annotate(count=Count("pk")):
        counts[row["status"]] = row["count"]
    return counts


def figures(*, now: datetime) -> Iterator[Metric]:
    bookings = GaugeMetricFamily("byp_bookings", "Bookings by status (all sessions)", labels=["status"])
    for status, count in _by_status(Booking, Booking.Status.values).items():
        bookings.add_metric([status], count)
    yield bookings

    emails = GaugeMetricFamily(
        "byp_emails", "Emails to attendees by status (queued, sending, sent, failed, skipped)", labels=["status"]
    )
    for status, count in _by_status(Email, Email.Status.values).items():
        emails.add_metric([status], count)
    yield emails

    due = Email.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=Email.Status.QUEUED
    )
    oldest = due.aggregate(oldest=Min("created_at"))["oldest"]
    yield GaugeMetricFamily(
        "byp_email_oldest_due_seconds",
        "How long the oldest email that is due to be sent has waited (0: none waiting)",
        value=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
    )


def webhook_deliveries(*, now: datetime) -> Iterator[Metric]:
    deliveries = GaugeMetricFamily(
        "byp_webhook_deliveries",
        "Webhook deliveries by status (pending, sending, delivered, failed...)",
        labels=["status"],
    )
    for status, count in _by_status(Delivery, Delivery.Status.values).items():
        deliveries.add_metric([status], count)
    yield deliveries
