"""/healthz and /readyz (core/health.py, core/endpoints.py), as a load balancer, an
orchestrator or a monitoring check asks them."""

import json
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from bookyourplace.core.models import Heartbeat

# A load balancer's check reaches each server by its own address, which no one lists in
# ALLOWED_HOSTS, over plain HTTP.
BALANCER = {"HTTP_HOST": "10.0.3.7:8000"}


def body(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_healthz_answers_without_asking_the_database(client):
    # No database for this test: a query would fail it ("Database access not allowed").
    response = client.get("/healthz")

    assert response.status_code == 200
    assert body(response) == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_checks_from_a_balancer_pass_the_host_check_and_the_https_redirect(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True  # production's setting

    response = client.get(path, **BALANCER)

    assert response.status_code in (200, 503)  # answered, not 400 (host) or 301 (HTTPS)
    assert "status" in body(response)
    # The site's own pages still refuse that host and redirect to HTTPS.
    assert client.get("/", **BALANCER).status_code == 400
    assert client.get("/", HTTP_HOST="testserver").status_code == 301


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_checks_set_no_cookie_and_are_never_cached(client, path):
    response = client.get(path)

    assert response.cookies == {}
    assert "no-store" in response["Cache-Control"]
    assert "Vary" not in response  # no session or language was looked at


@pytest.mark.django_db
def test_readyz_is_not_ready_until_the_worker_has_beaten(client, run_worker):
    # Arrange: a fresh service whose worker has not run yet
    before = client.get("/readyz")

    # Act: the worker takes the every-minute run that `make serve` schedules
    call_command("start_periodic_work", verbosity=0)
    run_worker()
    after = client.get("/readyz")

    # Assert
    assert before.status_code == 503
    assert body(before)["failing"] == ["worker"]
    assert body(before)["checks"]["database"] == {"ok": True}
    assert "is the worker running?" in body(before)["checks"]["worker"]["error"]
    assert after.status_code == 200
    assert body(after)["status"] == "ready"
    assert body(after)["checks"]["worker"]["ok"] is True


@pytest.mark.django_db
def test_readyz_is_not_ready_once_the_last_beat_is_over_three_minutes_old(client, run_worker):
    call_command("start_periodic_work", verbosity=0)
    run_worker()

    with time_machine.travel(timezone.now() + timedelta(minutes=2, seconds=50)):
        still = client.get("/readyz")
    with time_machine.travel(timezone.now() + timedelta(minutes=3, seconds=10)):
        stale = client.get("/readyz")

    assert still.status_code == 200
    assert stale.status_code == 503
    assert body(stale)["failing"] == ["worker"]
    assert body(stale)["checks"]["worker"]["last_beat_seconds_ago"] >= 190


@pytest.mark.django_db
def test_every_server_reads_the_one_heartbeat_in_the_database(client):
    # A worker on another server beat a minute ago: this server, which runs no worker, is ready.
    Heartbeat.objects.create(name="worker", beat_at=timezone.now() - timedelta(minutes=1))

    response = client.get("/readyz")

    assert response.status_code == 200
    assert body(response)["checks"]["worker"]["last_beat_seconds_ago"] == 60


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_cannot_be_reached(client):
    lost = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with mock.patch("bookyourplace.core.health.Heartbeat.objects.filter", side_effect=lost):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert body(response)["failing"] == ["database", "worker"]
    assert body(response)["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert "5432" not in response.content.decode()  # nothing about the set-up is given away


def test_checks_answer_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
