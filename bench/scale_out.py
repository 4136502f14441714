"""The scale-out run (issue 17, point 4): two web servers behind a load balancer and two
task workers on one PostgreSQL database, with a shared Redis cache.

Each "server" is `scripts/serve.sh` as a machine of its own would run it: its own port, its
own var directory (static files; nothing on disk is shared), 2 gunicorn workers
(`WEB_WORKERS`) and 1 task worker (`WORKER_PROCESSES`). Both use one fresh PostgreSQL
database, one Redis database (`BENCH_REDIS_URL`, flushed first) as their cache, and one SMTP
sink that counts every message per recipient. `bench/balancer.py`, a process of its own,
sends each request to the next server in turn and counts what each answered.

The rush is the same as the single server's (`backend.measure_rush`): 1,000 people press
"Book" at the same moment on a session of 100 places, each on a connection of their own,
this time through the balancer. Then the database is read (exactly 100 places held, all
confirmed, no one else booked), and the outbox and the SMTP sink are watched until every
confirmation has arrived (bounded): each booked address must receive exactly one message,
no address twice, no one refused any, every outbox row sent.

    .venv/bin/python bench/scale_out.py --out /tmp/scale-out.json
    .venv/bin/python bench/run.py --phases scale-out     # the same, printed and saved

Every process it starts (two service process groups, the balancer, the SMTP sink's thread)
is stopped at the end, also when something fails or the run is sent SIGTERM; the database is
dropped and the Redis database flushed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import backend as bench  # noqa: E402  (the database, the data, the service's environment)
import cycle  # noqa: E402  (CPU from /proc)
from launch import _machine_busy  # noqa: E402  (the whole machine's CPU from /proc/stat)
from load import Client, percentile, rush  # noqa: E402
from service import HOST, ROOT, Service, SmtpSink, free_port  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
DATABASE = f"{bench.PG_DB}_scale_out"
SERVERS = 2
WEB_WORKERS = int(os.environ.get("BENCH_SCALE_OUT_WEB_WORKERS", 2))  # per server
PEOPLE = int(os.environ.get("BENCH_SCALE_OUT_PEOPLE", bench.RUSH_ATTEMPTS))
CAPACITY = int(os.environ.get("BENCH_SCALE_OUT_CAPACITY", bench.RUSH_CAPACITY))
EMAIL_LIMIT = float(os.environ.get("BENCH_SCALE_OUT_EMAIL_LIMIT", 120))  # seconds after the rush
DUPLICATE_WATCH = 3  # seconds more, once all have arrived: a second copy would come now
log = bench.log


class BalancerProcess:
    """bench/balancer.py in a process group of its own."""

    def __init__(self, port: int, backends: list[int]):
        self.port, self.backends = port, backends
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> None:
        command = [sys.executable, str(HERE / "balancer.py"), "--port", str(self.port)]
        for port in self.backends:
            command += ["--to", f"{HOST}:{port}"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.counts() is not None:
                    return
            if self.process.poll() is not None:
                raise RuntimeError("The load balancer stopped while starting")
            time.sleep(0.1)
        raise RuntimeError(f"The load balancer did not answer within {timeout:.0f} s")

    def counts(self) -> dict:
        client = Client(self.port)
        try:
            status, body = client.get("/.balancer/counts")
        finally:
            client.close()
        return json.loads(body) if status == 200 else None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    except redis.RedisError as exc:
        raise RuntimeError(f"Redis is not reachable at {REDIS_URL} (BENCH_REDIS_URL): {exc}") from exc


def server_env(database_url: str, port: int, proxy_port: int, smtp_port: int, var_dir: Path) -> dict:
    """One server's environment: production settings, the shared database, cache and mail
    server, its own port and var directory, behind one proxy."""
    env = bench.service_env(database_url, port, smtp_port, var_dir, REDIS_URL)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bookyourplace.settings",  # production's, not the bench's
            "SITE_URL": f"http://{HOST}:{proxy_port}",
            "TRUSTED_PROXIES": "1",  # the balancer appends X-Forwarded-For
            "WEB_WORKERS": str(WEB_WORKERS),
            "WORKER_PROCESSES": "1",
        }
    )
    return env


def settle(services: list[Service], timeout: float = 60) -> dict:
    """backend.settle for several servers: the outbox empty and every task worker still."""
    drained = bench.wait_for_outbox(timeout)
    pids = {"worker": [pid for service in services for pid in service.task_workers()]}
    began, before = time.monotonic(), cycle.read_cpu(pids)
    while time.monotonic() - began < timeout:
        time.sleep(1)
        after = cycle.read_cpu(pids)
        if after == before:
            break
        before = after
    return {**drained, "idle_after_seconds": round(time.monotonic() - began, 1)}


def access_log_posts(log_path: Path, path: str) -> int:
    """POSTs of the rush's path in one server's own log (the access log lines)."""
    with open(log_path, errors="replace") as lines:
        return sum(1 for line in lines if path in line and "POST" in line)


def wait_for_emails(session, expected: set[str], smtp: SmtpSink, rush_ended: float) -> dict:
    """Until every booked address has its message at the SMTP sink and every outbox row of
    the session is sent (at most EMAIL_LIMIT after the rush); then a few seconds more, in
    which a second copy of any would show."""
    from django.db.models import Count, Max, Min

    from bookyourplace.notifications.models import Email

    emails = Email.objects.filter(booking__session=session)
    arrived_at = None
    while time.monotonic() < rush_ended + EMAIL_LIMIT:
        have = sum(1 for address in expected if smtp.received_by(address))
        if have == len(expected) and not emails.exclude(status="sent").exists():
            arrived_at = time.monotonic()
            break
        time.sleep(0.1)
    time.sleep(DUPLICATE_WATCH)
    received = {address: n for address, n in smtp.received_per_recipient().items() if address.endswith("@rush.example")}
    by_status = dict(emails.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_kind = dict(emails.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    times = emails.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    last_booking = session.bookings.aggregate(last=Max("created_at"))["last"]
    return {
        "expected": len(expected),
        "received_once": sum(1 for address in expected if received.get(address) == 1),
        "missing": sorted(address for address in expected if not received.get(address))[:10],
        "missing_count": sum(1 for address in expected if not received.get(address)),
        "more_than_once": {address: n for address, n in received.items() if n > 1},
        "not_booked_but_received": sorted(set(received) - expected)[:10],
        "smtp_messages": sum(received.values()),
        "outbox_rows": sum(by_status.values()),
        "outbox_by_status": by_status,
        "outbox_by_kind": by_kind,
        "all_arrived_seconds_after_rush": None if arrived_at is None else round(arrived_at - rush_ended, 1),
        "last_sent_after_last_booking_seconds": (
            round((times["last"] - last_booking).total_seconds(), 1) if times["last"] and last_booking else None
        ),
        "limit_seconds": EMAIL_LIMIT,
    }


def delivery_runs_by_worker(since) -> dict:
    """The delivery runs each task worker finished since the rush began, and the emails they
    sent (from django-tasks-db's result rows: each worker has its own random id)."""
    from django_tasks_db.models import DBTaskResult

    runs: dict[str, dict] = {}
    rows = DBTaskResult.objects.filter(task_path__endswith="deliver_outbox", finished_at__gte=since)
    for worker_ids, value in rows.values_list("worker_ids", "return_value"):
        worker = (worker_ids or ["?"])[-1][:8]
        entry = runs.setdefault(worker, {"runs": 0, "sent": 0})
        entry["runs"] += 1
        entry["sent"] += (value or {}).get("sent", 0) if isinstance(value, dict) else 0
    return runs


def measure(services: list[Service], balancer: BalancerProcess, smtp: SmtpSink, data) -> dict:
    from django.utils import timezone

    from bookyourplace.bookings.models import Booking

    programme = data.programme("bench-scale-out", "Bench scale-out")
    session = data.session(programme, "The rush, two servers", data.now + timedelta(days=30), capacity=CAPACITY)
    path = f"/programmes/{programme.slug}/sessions/{session.pk}/book/"
    # Every gunicorn worker of both servers has answered a few requests (imports, templates,
    # a database connection) before the rush, as after a minute of a real morning.
    client = Client(balancer.port)
    warm = [client.get(path)[0] for _ in range(8 * SERVERS * WEB_WORKERS)]
    client.close()
    if set(warm) != {200}:
        raise RuntimeError(f"The booking form through the balancer answered {sorted(set(warm))}")
    settled = settle(services)
    log(f"scale-out: the service is idle ({settled})")
    groups = {f"web {n + 1}": cycle.web_pids(service) for n, service in enumerate(services)}
    groups |= {f"worker {n + 1}": service.task_workers() for n, service in enumerate(services)}
    groups |= {
        "database": cycle.all_postgres_pids(),
        "balancer": [balancer.process.pid],
        "load_generator": [os.getpid()],
    }
    counts_before = balancer.counts()
    smtp.reset()
    rush_began_at = timezone.now()
    load_average = os.getloadavg()[0]  # other work on the machine shows here
    cpu_before, busy_before = cycle.read_cpu(groups), _machine_busy()
    result = rush(balancer.port, path, form_path=path, attempts=PEOPLE, email_prefix="scaleout")
    rush_ended = time.monotonic()
    cpu_after, busy_after = cycle.read_cpu(groups), _machine_busy()
    counts_after = balancer.counts()
    answers = result.as_dict()
    answered = {name: n - counts_before["answered"].get(name, 0) for name, n in counts_after["answered"].items()}
    total = sum(answered.values())
    logs = [access_log_posts(service.log_path, path) for service in services]
    bookings = Booking.objects.filter(session=session)
    held = bookings.filter(status__in=Booking.HOLDING_STATUSES).count()
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED).count()
    waiting = bookings.filter(status=Booking.Status.WAITING).count()
    expected = {
        email.lower() for email in bookings.filter(status=Booking.Status.CONFIRMED).values_list("email", flat=True)
    }
    log(
        f"scale-out: {result.booked} booked, {result.refused} refused, {result.server_errors} 5xx, {result.other} other, "
        f"{held} held in the database ({confirmed} confirmed, {waiting} waiting), all answered in {result.seconds:.1f} s, "
        f"p50 {answers['p50_ms'] or 0:.0f} / p99 {answers['p99_ms'] or 0:.0f} ms {result.samples[:2]}; "
        f"answered by server {answered} (their access logs: {logs}), unreachable {counts_after['unreachable']}"
    )
    emails = wait_for_emails(session, expected, smtp, rush_ended)
    workers = delivery_runs_by_worker(rush_began_at)
    log(f"scale-out: emails {emails}; delivery runs by worker {workers}")
    cpu = {name: cycle.cpu_ms(cpu_before, cpu_after, name) for name in groups}
    log(f"scale-out: CPU ms during the rush {cpu}")
    return {
        **answers,
        "people": PEOPLE,
        "capacity": CAPACITY,
        "holding_in_database": held,
        "confirmed_in_database": confirmed,
        "waiting_in_database": waiting,
        "bookings_in_database": bookings.count(),
        "answered_by_server": answered,
        "share_by_server": {name: round(n / total, 3) if total else None for name, n in answered.items()},
        "by_status_by_server": counts_after["by_status"],
        "access_log_posts_by_server": logs,
        "unreachable": counts_after["unreachable"],
        "emails": emails,
        "delivery_runs_by_worker": workers,
        "cpu_ms": cpu,
        # Of all the machine's cores: what the processes above did not use went to other work.
        "machine_busy": round((busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]), 2),
        "cores": os.cpu_count(),
        "load_average_before": load_average,
        "settled": settled,
        "latency_ms": {
            "p50": percentile(result.latencies_ms, 0.5),
            "p90": percentile(result.latencies_ms, 0.9),
            "p99": percentile(result.latencies_ms, 0.99),
            "max": max(result.latencies_ms) if result.latencies_ms else None,
        },
    }


def claims(r: dict) -> dict:
    """Each claim of the run, True or False, from its results (run.py prints them)."""
    emails = r.get("emails") or {}
    answered = r.get("answered_by_server") or {}
    people, capacity = r.get("people"), r.get("capacity")
    return {
        "exactly_capacity": r.get("holding_in_database")
        == r.get("confirmed_in_database")
        == r.get("booked")
        == capacity
        and r.get("bookings_in_database") == capacity,
        "others_refused": r.get("refused") == (people or 0) - (capacity or 0),
        "no_errors": r.get("server_errors") == 0 and r.get("other_errors") == 0 and not r.get("unreachable"),
        "both_servers": len(answered) == SERVERS and all(n > 0 for n in answered.values()),
        "emails_once": emails.get("received_once") == emails.get("expected") == capacity
        and not emails.get("more_than_once")
        and not emails.get("not_booked_but_received")
        and (emails.get("outbox_by_status") or {}) == {"sent": capacity}
        and emails.get("all_arrived_seconds_after_rush") is not None,
    }


def run(out: Path) -> dict:
    results: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "servers": SERVERS,
        "web_workers_per_server": WEB_WORKERS,
        "task_workers_per_server": 1,
        "redis": REDIS_URL,
    }
    workdir = Path(tempfile.mkdtemp(prefix="byp-bench-scale-out-"))
    smtp = SmtpSink()
    services: list[Service] = []
    balancer = None
    database_created = False
    began = time.monotonic()

    def stop_on_term(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop_on_term)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    try:
        flush_redis()
        database_url = bench.fresh_database("postgresql", DATABASE, workdir)
        database_created = True
        smtp.start()
        proxy_port = free_port()
        ports = [free_port() for _ in range(SERVERS)]
        envs = [
            server_env(database_url, port, proxy_port, smtp.port, workdir / f"server-{n + 1}")
            for n, port in enumerate(ports)
        ]
        # This process reads and writes the same database and cache (the data, the checks).
        os.environ.update({k: v for k, v in envs[0].items() if k != "BIND"})
        import django

        django.setup()
        from django.conf import settings

        results["cache_backend"] = settings.CACHES["default"]["BACKEND"]
        if "redis" not in results["cache_backend"].lower():
            raise RuntimeError(f"CACHE_URL={REDIS_URL} gave {results['cache_backend']}, not a Redis cache")
        results["startup_seconds"] = []
        for n, (env, port) in enumerate(zip(envs, ports, strict=True)):
            # One after the other: the first migrates the fresh database; the second finds
            # nothing to do, as a second machine started during an upgrade would.
            service = Service(env, port, workdir / f"server-{n + 1}.log")
            services.append(service)
            results["startup_seconds"].append(round(service.start(), 1))
        balancer = BalancerProcess(proxy_port, ports)
        balancer.start()
        log(
            f"scale-out: {SERVERS} servers up on ports {ports} in {results['startup_seconds']} s "
            f"({[len(s.gunicorn_workers()) for s in services]} web workers, "
            f"{[len(s.task_workers()) for s in services]} task workers), balancer on {proxy_port}, "
            f"cache {results['cache_backend']} at {REDIS_URL}"
        )
        data = bench.Data()
        results.update(measure(services, balancer, smtp, data))
        results["held"] = claims(results)
    except BaseException as exc:  # noqa: BLE001 (a failure is a result: recorded, then everything stopped)
        results["error"] = traceback.format_exc()
        log("FAILED:\n" + results["error"])
        if not isinstance(exc, Exception):
            raise
    finally:
        for service in services:
            service.stop()
        if balancer is not None:
            balancer.stop()
        smtp.stop()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database_created:
            try:
                bench.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            except subprocess.SubprocessError as exc:
                log(f"could not drop {DATABASE}: {exc}")
        with contextlib.suppress(Exception):
            flush_redis()
        signal.signal(signal.SIGTERM, previous)
        results["run_seconds"] = round(time.monotonic() - began, 1)
        results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        results["logs"] = [str(service.log_path) for service in services]
        out.write_text(json.dumps(results, indent=2, default=str))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src")]
    run(args.out)
