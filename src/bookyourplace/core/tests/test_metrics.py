"""/metrics (core/metrics.py): who may read it, the web's request counts, and the figures
read from the database at scrape time (the worker's heartbeat, the task queue's lag)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.tasks import task
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from bookyourplace.core import metrics


@task(queue_name="email")
def waiting_task() -> None:
    """A task for the queue to hold; no worker runs it in these tests."""


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    """The samples of one scrape: (name, sorted labels) -> value."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


# --- Who may read it -------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_token_metrics_are_read_from_this_machine_only(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200

    from_elsewhere = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    # A reverse proxy on this machine makes every visitor arrive from 127.0.0.1: what came
    # through it is not local.
    through_a_proxy = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert from_elsewhere.status_code == 403
    assert through_a_proxy.status_code == 403
    assert b"METRICS_TOKEN" in from_elsewhere.content
    assert b"byp_" not in from_elsewhere.content + through_a_proxy.content


@pytest.mark.django_db
def test_with_a_token_metrics_need_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "a-long-random-scrape-token"

    missing = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    right = client.get("/metrics", REMOTE_ADDR="10.0.9.9", HTTP_AUTHORIZATION="Bearer a-long-random-scrape-token")

    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert b"byp_worker_heartbeat_age_seconds" in right.content


@pytest.mark.django_db
def test_a_scrape_by_address_passes_the_host_check_and_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/metrics", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200


# --- What it says ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_view_and_status(client):
    before = scrape(client)
    client.get("/no-such-page/")
    client.get("/no-such-page/")
    after = scrape(client)

    name = "django_http_responses_total_by_status_view_method_total"
    labels = {"status": "404", "view": "<unnamed view>", "method": "GET"}
    assert value(after, name, **labels) - before.get((name, tuple(sorted(labels.items()))), 0) == 2
    latency = ("django_http_requests_latency_including_middlewares_seconds_count", ())
    assert after[latency] - before.get(latency, 0) == 2  # the scrapes themselves are not counted


@pytest.mark.django_db
def test_the_worker_heartbeat_age_is_infinite_until_it_beats(client, run_worker):
    never = scrape(client)
    call_command("start_periodic_work", verbosity=0)
    run_worker()
    with time_machine.travel(timezone.now() + timedelta(seconds=42)):
        beaten = scrape(client)

    assert value(never, "byp_worker_heartbeat_age_seconds") == float("inf")  # an alert on "> 180" fires
    assert 41 <= value(beaten, "byp_worker_heartbeat_age_seconds") <= 45


@pytest.mark.django_db
def test_task_lag_is_the_age_of_the_oldest_task_due_by_queue(client):
    # Arrange: a task due now, and one due in an hour (not late, whatever its age)
    waiting_task.enqueue()
    waiting_task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()

    # Act: ninety seconds on, no worker has taken it
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        samples = scrape(client)

    # Assert
    assert 89 <= value(samples, "byp_task_lag_seconds", queue="email") <= 95
    assert value(samples, "byp_tasks_due", queue="email") == 1
    assert value(samples, "byp_task_lag_seconds", queue="default") == 0
    assert value(samples, "byp_tasks_due", queue="default") == 0


@pytest.mark.django_db
def test_a_collector_that_fails_is_left_out_and_the_rest_still_report(client, monkeypatch):
    def broken(*, now):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setitem(metrics._collectors, "broken", broken)

    samples = scrape(client)

    assert value(samples, "byp_metrics_collector_up", collector="broken") == 0
    assert value(samples, "byp_metrics_collector_up", collector="service") == 1
    assert ("byp_worker_heartbeat_age_seconds", ()) in samples


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_slow_count_is_cut_short_by_the_statement_timeout(client, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no statement timeout")
    settings.METRICS_QUERY_TIMEOUT_MS = 200

    def slow(*, now):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
        return []

    monkeypatch.setitem(metrics._collectors, "slow", slow)
    started = timezone.now()

    samples = scrape(client)

    assert (timezone.now() - started).total_seconds() < 3
    assert value(samples, "byp_metrics_collector_up", collector="slow") == 0
    assert value(samples, "byp_metrics_collector_up", collector="service") == 1
