"""`make serve` (scripts/serve.sh) with production settings, as a load balancer, Prometheus
and a log collector see it: /healthz at once, /readyz once the worker has beaten, /metrics
summed over gunicorn's processes, and JSON log lines that share the request's id. And
`scripts/serve.sh worker` alone, as a worker server or container runs it."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time

import pytest
from django.db import connection

from bookyourplace.core.testing import ROOT, database_url, production_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def wait_for(condition, *, seconds: float, service, log_path) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert service.poll() is None, log_path.read_text()
        try:
            if condition():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, log_path.read_text()[-5000:]
        time.sleep(0.25)


# It starts its own service on SQLite whatever the suite's database: once is enough.
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs on SQLite in its own service"
)
def test_make_serve_answers_healthz_then_readyz_and_reports_metrics_and_json_logs(tmp_path):
    # Arrange: the production service as `make serve` starts it, behind one proxy, JSON logs
    port = free_port()
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BYP_VAR_DIR=str(tmp_path),
        PORT=str(port),
        ALLOWED_HOSTS="bookings.example.org",
        SECURE_SSL_REDIRECT="0",
        TRUSTED_PROXIES="1",
        LOG_FORMAT="json",
        WEB_WORKERS="2",
        WORKER_PROCESSES="1",
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        service = subprocess.Popen(
            ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    proxied = {"Host": "bookings.example.org", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    try:
        # Act and assert: up first, then ready once the worker's first run has beaten
        wait_for(lambda: get(port, "/healthz")[0] == 200, seconds=300, service=service, log_path=log_path)
        wait_for(lambda: get(port, "/readyz")[0] == 200, seconds=90, service=service, log_path=log_path)
        status, _, body = get(port, "/readyz")
        assert json.loads(body)["checks"]["worker"]["ok"] is True

        # A page through the proxy, with the proxy's request id, answered by either process
        for n in range(6):
            status, headers, _ = get(port, "/no-such-page/", **proxied, **{"X-Request-ID": f"req-{n}"})
            assert (status, headers["x-request-id"]) == (404, f"req-{n}")

        # Metrics from this machine: every process's requests, and the database's figures
        status, _, body = get(port, "/metrics")
        scraped = body.decode()
        assert status == 200
        assert 'django_http_responses_total_by_status_total{status="404"} 6.0' in scraped
        assert 'byp_bookings{status="confirmed"} 0.0' in scraped
        assert "byp_worker_heartbeat_age_seconds +Inf" not in scraped
        assert get(port, "/metrics", **proxied)[0] == 403  # not through the proxy
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=30)

    # Every log line is one JSON object; Django's line and gunicorn's share the request's id
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    for n in range(6):
        of_request = [line for line in lines if line.get("request_id") == f"req-{n}"]
        assert {line["logger"] for line in of_request} == {"django.request", "gunicorn.access"}, of_request
        access = next(line for line in of_request if line["logger"] == "gunicorn.access")
        assert (access["path"], access["status"]) == ("/no-such-page/", 404)
    assert any(line["logger"] == "django.tasks" for line in lines)  # the worker's lines too


def test_a_worker_started_alone_makes_every_web_server_ready_and_stops_when_told(transactional_db, client, tmp_path):
    # Arrange: no worker yet; a worker server's `scripts/serve.sh worker` on this database
    assert client.get("/readyz").status_code == 503
    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict), BYP_VAR_DIR=str(tmp_path), WORKER_PROCESSES="1"
    )
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log_file:
        worker = subprocess.Popen(
            ["scripts/serve.sh", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # Act: this (web) process asks /readyz until the worker's first run has beaten
        wait_for(lambda: client.get("/readyz").status_code == 200, seconds=90, service=worker, log_path=log_path)

        # Assert: stopped as systemd and Docker stop it (SIGTERM to the script), it ends cleanly
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log_path.read_text()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    with pytest.raises(ProcessLookupError):  # nothing of it is left running
        os.killpg(worker.pid, 0)
