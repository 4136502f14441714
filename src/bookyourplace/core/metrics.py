"""Prometheus metrics at /metrics (answered by core/endpoints.py).

Two kinds of figures:
- the web's requests (counts, latency by view and status), counted as they happen by
  django-prometheus's middleware in each gunicorn process. Under ``make serve`` the processes
  share them through files in ``PROMETHEUS_MULTIPROC_DIR`` (scripts/serve.sh makes a fresh
  one per start), so any process answering /metrics reports all of them;
- the service's state, read from the database at scrape time by collectors the apps
  register here (``register_collector``, in their AppConfig.ready): bookings by status,
  emails queued, sent and failed, the task queue's lag, the worker's heartbeat. Read from the
  one database, they are right whichever web server is scraped and include the workers' work.

A collector's queries run inside a savepoint with a short statement timeout on PostgreSQL
(``METRICS_QUERY_TIMEOUT_MS``), so a slow database makes a scrape miss figures, never pile
up; a collector that fails is left out of that scrape (``byp_metrics_collector_up`` 0).

Who may read it: with ``METRICS_TOKEN`` set, a request with ``Authorization: Bearer <token>``;
without it, only a request from the machine itself (a loopback address, not through a proxy).
"""

import hmac
import ipaddress
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.http import HttpResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from bookyourplace.core import health

logger = logging.getLogger(__name__)

# name -> a function of the time returning metric families (reading the database).
_collectors: dict[str, Callable[..., Iterable[Metric]]] = {}


def register_collector(name: str, collect: Callable[..., Iterable[Metric]]) -> None:
    """Add figures read at scrape time: ``collect(now=...)`` yields prometheus_client metric
    families (GaugeMetricFamily...). Registered once, in the app's AppConfig.ready."""
    _collectors[name] = collect


@contextmanager
def bounded_queries():
    """A savepoint whose statements give up after METRICS_QUERY_TIMEOUT_MS on PostgreSQL."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [int(settings.METRICS_QUERY_TIMEOUT_MS)])
        yield


class _DatabaseCollectors:
    """Every registered collector, each in its own bounded savepoint, at scrape time."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        up = GaugeMetricFamily(
            "byp_metrics_collector_up", "1 if the collector read its figures in this scrape", labels=["collector"]
        )
        for name, collect in list(_collectors.items()):
            try:
                with bounded_queries():
                    families = list(collect(now=now))
            except DatabaseError:
                logger.warning("Metrics: collector %s could not read the database", name, exc_info=True)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


class _ThisProcess:
    """prometheus_client's default registry (this process's requests, its CPU and memory)."""

    def collect(self) -> Iterator[Metric]:
        return REGISTRY.collect()


def registry() -> CollectorRegistry:
    """What one scrape reports: the web's request metrics (every process's, when several
    share PROMETHEUS_MULTIPROC_DIR) and the figures the collectors read from the database."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_ThisProcess())
    scrape.register(_DatabaseCollectors())
    return scrape


def may_read(request) -> bool:
    """METRICS_TOKEN as a bearer token when set; else only a request from this machine
    that came through no proxy (a proxy in front would make every visitor look local)."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_response(request) -> HttpResponse:
    if not may_read(request):
        if settings.METRICS_TOKEN:
            response = HttpResponse("A valid METRICS_TOKEN is needed.\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        else:
            response = HttpResponse(
                "Metrics are read from this machine only, or set METRICS_TOKEN.\n",
                status=403,
                content_type="text/plain",
            )
        return response
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


# --- The core's own figures: the worker and the task queue ----------------------------------


def service_figures(*, now: datetime) -> Iterator[Metric]:
    """The worker's heartbeat and how late the task queue runs (django-tasks-db's table)."""
    age = health.heartbeat_age_seconds(now=now)
    yield GaugeMetricFamily(
        "byp_worker_heartbeat_age_seconds",
        "Seconds since the worker's every-minute run last beat (+Inf: never)",
        value=float("inf") if age is None else age,
    )

    # Ready tasks that are due: run_after passed, or none given (stored as the largest date,
    # due since it was enqueued). The partial index on READY rows keeps this small.
    ready = DBTaskResult.objects.filter(status="READY")
    oldest: dict[str, datetime] = {}
    due: dict[str, int] = {}
    for rows in (
        ready.filter(run_after__lte=now).values("queue_name").annotate(count=Count("id"), since=Min("run_after")),
        ready.filter(run_after=get_date_max())
        .values("queue_name")
        .annotate(count=Count("id"), since=Min("enqueued_at")),
    ):
        for row in rows:
            queue = row["queue_name"]
            due[queue] = due.get(queue, 0) + row["count"]
            oldest[queue] = min(oldest.get(queue, row["since"]), row["since"])
    queues = sorted(set(_task_queues()) | set(due))
    lag = GaugeMetricFamily(
        "byp_task_lag_seconds", "Age of the oldest task that is due and not yet started, by queue", labels=["queue"]
    )
    waiting = GaugeMetricFamily("byp_tasks_due", "Tasks due and not yet started, by queue", labels=["queue"])
    for queue in queues:
        lag.add_metric([queue], max((now - oldest[queue]).total_seconds(), 0.0) if queue in oldest else 0.0)
        waiting.add_metric([queue], due.get(queue, 0))
    yield lag
    yield waiting


def _task_queues() -> list[str]:
    return [queue for backend in settings.TASKS.values() for queue in backend.get("QUEUES", [])]
