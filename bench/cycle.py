"""The booking as a person makes it, against the service and against a bare Django project.

A cycle is what a browser does: GET the booking form (a new visitor: no cookies; the CSRF
token read from the page, the cookies it sets kept), POST it with a new email address,
follow the redirect with a GET of the confirmation page. 50 clients run cycles for a few
seconds in alternating rounds (bare, ours, ours, bare, bare, ours) on the same database
server; then one client alone. The CPU each round cost, read from /proc before and after,
is divided by the cycles it completed, by process: web (the gunicorn master and workers),
task workers (read again once the outbox is drained, so that the confirmation emails a
round caused are counted) and the database server (PostgreSQL; SQLite runs inside the web
processes).

The bare project (bench/bare/) is not this service and imports nothing of it: its own
settings, four middleware, one app; gunicorn runs it as `make serve` runs ours (same worker
class, number of workers and threads), on its own port and its own database.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from load import CSRF_INPUT, REQUEST_TIMEOUT, Client, booking_fields, percentile
from service import ROOT, Service, _parent, cmdline, process_tree

BARE_DIR = ROOT / "bench" / "bare"
CLIENTS = 50
ROUNDS = int(os.environ.get("BENCH_CYCLE_ROUNDS", 6))
ROUND_SECONDS = float(os.environ.get("BENCH_CYCLE_SECONDS", 5))
ROUND_MAX_CYCLES = int(os.environ.get("BENCH_CYCLE_MAX", 3000))
ONE_CLIENT_CYCLES = int(os.environ.get("BENCH_CYCLE_ONE_CLIENT", 50))
OUTBOX_TIMEOUT = float(os.environ.get("BENCH_CYCLE_OUTBOX_TIMEOUT", 60))
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- CPU from /proc ------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process (all its threads), in clock ticks; None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def read_cpu(groups: dict[str, list[int]]) -> dict[str, dict[int, int]]:
    return {name: {pid: t for pid in pids if (t := cpu_ticks(pid)) is not None} for name, pids in groups.items()}


def cpu_ms(before: dict[str, dict[int, int]], after: dict[str, dict[int, int]], name: str) -> float | None:
    """CPU time a group spent between two readings, per process (a process that started in
    between counts from zero; one that ended in between is not counted: gunicorn workers,
    task workers and pooled or persistent database connections live through a round)."""
    if not after.get(name):
        return None
    ticks = sum(t - before.get(name, {}).get(pid, 0) for pid, t in after[name].items())
    return ticks * 1000 / CLK_TCK


def web_pids(service: Service) -> list[int]:
    """The gunicorn master and its workers."""
    if service.process is None:
        return []
    return [p for p in process_tree(service.process.pid) if "gunicorn" in cmdline(p)]


def postgres_pids(database_names: tuple[str, ...]) -> list[int]:
    """The PostgreSQL processes that serve the benchmark: connections to its databases (not
    this process's own, which only reads the outbox) and the server's own processes (WAL
    writer, checkpointer, autovacuum... and the postmaster). Other databases on the same
    server, such as a test run's, are left out."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            " AND (datname = ANY(%s) OR backend_type <> 'client backend')",
            [list(database_names)],
        )
        rows = cursor.fetchall()
    pids = [pid for pid, _ in rows]
    pids += {_parent(pid) for pid, kind in rows if kind == "checkpointer"}  # the postmaster
    return pids


def all_postgres_pids() -> list[int]:
    """Every process named postgres on this machine (`pgrep -x postgres`), for comparison."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


# --- The bare project ----------------------------------------------------------------------------


class BareService(Service):
    """bench/bare under gunicorn, in its own process group (stop() is Service's)."""

    def __init__(self, database_url: str, port: int, log_path: Path, *, workers: int, threads: int, secret_key: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTHONPATH"))}
        env.update(
            {
                "PYTHONPATH": str(BARE_DIR),  # bench/bare only: nothing of the service
                "DJANGO_SETTINGS_MODULE": "bareproject.settings",
                "SECRET_KEY": secret_key,
                "DATABASE_URL": database_url,
                "ALLOWED_HOSTS": "127.0.0.1",
            }
        )
        super().__init__(env, port, log_path)
        self.workers, self.threads = workers, threads

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BARE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"bench/bare manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout.strip()

    def start(self, timeout: float = 60) -> float:
        started = time.monotonic()
        self.manage("migrate", "--no-input", "-v", "0")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = open(self.log_path, "ab")
        # The same command line as scripts/serve.sh's, but for the bare project's WSGI app.
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "bareproject.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--access-logfile",
                "-",
            ],
            cwd=BARE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        while time.monotonic() < started + timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"The bare project stopped while starting; see {self.log_path}")
            if self._answers():
                return time.monotonic() - started
            time.sleep(0.25)
        raise RuntimeError(f"The bare project did not answer within {timeout:.0f} s; see {self.log_path}")

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/book/0/", headers={"X-Forwarded-Proto": "https"})
            ok = conn.getresponse().status == 404  # no session 0: Django answered
            conn.close()
            return ok
        except OSError:
            return False


# --- The load ------------------------------------------------------------------------------------


@dataclass
class Target:
    """One site's booking: the form's path, the fields a person fills in, and the path the
    POST must redirect to when a place is booked."""

    name: str
    port: int
    form_path: str
    fields: Callable[[str, str], dict]  # (email, csrf token) -> the form's fields
    booked_path: re.Pattern


@dataclass
class CycleLoad:
    cycles: int = 0  # begun
    booked: int = 0  # all three steps answered, the POST redirected to the confirmation
    not_booked: int = 0  # answered, but no place (the form again, "full"...)
    errors: int = 0  # a status other than 2xx/3xx, or no answer
    seconds: float = 0.0
    form_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    confirmation_ms: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.booked / self.seconds if self.seconds else 0.0

    def note(self, text: str) -> None:
        if len(self.samples) < 5:
            self.samples.append(text[:200])

    @classmethod
    def combine(cls, parts: list[CycleLoad]) -> CycleLoad:
        total = cls()
        for part in parts:
            for name in ("cycles", "booked", "not_booked", "errors", "seconds"):
                setattr(total, name, getattr(total, name) + getattr(part, name))
            total.form_ms += part.form_ms
            total.post_ms += part.post_ms
            total.confirmation_ms += part.confirmation_ms
            total.samples += part.samples[: max(0, 5 - len(total.samples))]
        return total

    def as_dict(self) -> dict:
        def ms(values, fraction):
            value = percentile(values, fraction)
            return None if value is None else round(value, 1)

        return {
            "cycles": self.cycles,
            "booked": self.booked,
            "not_booked": self.not_booked,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "cycles_per_second": round(self.per_second, 1),
            **{
                f"{step}_{label}_ms": ms(values, fraction)
                for step, values in (
                    ("form", self.form_ms),
                    ("post", self.post_ms),
                    ("confirmation", self.confirmation_ms),
                )
                for label, fraction in (("p50", 0.5), ("p99", 0.99))
            },
            "samples": self.samples,
        }


def one_cycle(client: Client, target: Target, email: str, result: CycleLoad, lock: threading.Lock) -> None:
    """GET the form, POST it, GET the page the POST redirects to; recorded in `result`."""
    client.cookies = {}  # a new person: no cookies yet
    times: dict[str, float] = {}
    outcome, note = "error", ""
    try:
        begun = time.perf_counter()
        status, body = client.get(target.form_path)
        times["form"] = (time.perf_counter() - begun) * 1000
        token = CSRF_INPUT.search(body) if status == 200 else None
        if token is None:
            note = f"GET form {status}: {body[:150]}"
            raise _CycleEnds
        begun = time.perf_counter()
        response = client.post_form(target.form_path, target.fields(email, token.group(1)))
        body = response.read().decode(errors="replace")
        times["post"] = (time.perf_counter() - begun) * 1000
        location = urlsplit(response.getheader("Location", "")).path
        if response.status not in (302, 303) or not target.booked_path.search(location):
            outcome = "not_booked" if response.status < 400 else "error"
            note = f"POST {response.status} {location}: {body[:150]}"
            raise _CycleEnds
        begun = time.perf_counter()
        status, body = client.get(location)
        times["confirmation"] = (time.perf_counter() - begun) * 1000
        if status == 200:
            outcome = "booked"
        else:
            outcome = "not_booked" if status < 400 else "error"
            note = f"GET confirmation {status}: {body[:150]}"
    except _CycleEnds:
        pass
    except (OSError, http.client.HTTPException) as exc:
        note = repr(exc)
        client.close()
        client.conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=REQUEST_TIMEOUT)
    with lock:
        result.cycles += 1
        setattr(result, outcome, getattr(result, outcome) + 1)
        for step, ms in times.items():
            getattr(result, f"{step}_ms").append(ms)
        if note:
            result.note(f"{outcome}: {note}")


class _CycleEnds(Exception):
    pass


def cycle_load(target: Target, *, clients: int, max_cycles: int, seconds: float, email_prefix: str) -> CycleLoad:
    """`clients` people book over and over, each cycle a new person with a new email, until
    `max_cycles` in all or the deadline (a cycle begun before it is finished)."""
    result = CycleLoad()
    lock = threading.Lock()
    counter = itertools.count()
    start_gate = threading.Barrier(clients + 1, timeout=30)
    deadline = [0.0]

    def person() -> None:
        client = Client(target.port)
        start_gate.wait()
        while time.monotonic() < deadline[0] and (number := next(counter)) < max_cycles:
            one_cycle(client, target, f"{email_prefix}{number:06d}@cycle.example", result, lock)
        client.close()

    threads = [threading.Thread(target=person, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=max(1.0, began + seconds + REQUEST_TIMEOUT + 30 - time.monotonic()))
    result.seconds = time.monotonic() - began
    return result


def one_client(target: Target, cycles: int, email_prefix: str) -> dict:
    """One person at a time: the median time of the form's GET and of the POST with the
    confirmation's GET (a few cycles first, not counted)."""
    client = Client(target.port)
    result, warm, lock = CycleLoad(), CycleLoad(), threading.Lock()
    for n in range(5):
        one_cycle(client, target, f"{email_prefix}w{n}@cycle.example", warm, lock)
    for n in range(cycles):
        one_cycle(client, target, f"{email_prefix}{n:04d}@cycle.example", result, lock)
    client.close()
    post_and_confirmation = [p + c for p, c in zip(result.post_ms, result.confirmation_ms, strict=False)]
    return {
        "cycles": result.cycles,
        "booked": result.booked,
        "warm_up_booked": warm.booked,
        "errors": result.errors,
        "form_ms": round(percentile(result.form_ms, 0.5) or 0, 2),
        "post_and_confirmation_ms": round(percentile(post_and_confirmation, 0.5) or 0, 2),
        "samples": result.samples,
    }


# --- The phase -----------------------------------------------------------------------------------


def measure_cycle(
    *,
    backend: str,
    port: int,
    service: Service,
    data,
    workdir: Path,
    fresh_database: Callable[[str, str, Path], str],
    drop_database: Callable[[str], None],
    wait_for_outbox: Callable[[float], dict],
    secret_key: str,
    log: Callable[[str], None],
) -> dict:
    """Both sites measured in alternating rounds; see the module's docstring."""
    from datetime import timedelta

    from service import free_port

    programme = data.programme("bench-cycle", "Bench booking cycle")
    session = data.session(programme, "Booking cycle (ours)", data.now + timedelta(days=30), capacity=1_000_000)
    web_workers = len(service.gunicorn_workers())
    threads = int(os.environ.get("WEB_THREADS", 1))
    from django.db import connection

    # On PostgreSQL the bare project's database sits beside the service's (bench_byp_bare).
    bare_db = f"{connection.settings_dict['NAME']}_bare" if backend == "postgresql" else "bench_bare"
    bare_url = fresh_database(backend, bare_db, workdir)
    bare = BareService(
        bare_url, free_port(), workdir / "bare.log", workers=web_workers, threads=threads, secret_key=secret_key
    )
    try:
        startup = bare.start()
        bare_session = int(bare.manage("bench_session", "--capacity", "1000000"))
        log(f"bare Django up in {startup:.1f} s on port {bare.port} ({web_workers} workers x {threads} thread(s))")
        targets = {
            "ours": Target(
                "ours",
                port,
                f"/programmes/{programme.slug}/sessions/{session.pk}/book/",
                booking_fields,
                re.compile(r"/book/confirmed/$"),
            ),
            "bare": Target(
                "bare",
                bare.port,
                f"/book/{bare_session}/",
                lambda email, token: {"csrfmiddlewaretoken": token, "email": email},
                re.compile(r"^/booked/\d+/$"),
            ),
        }
        groups: dict[str, Callable[[], dict[str, list[int]]]] = {
            "ours": lambda: {"web": web_pids(service), "worker": service.task_workers()},
            "bare": lambda: {"web": web_pids(bare)},
        }
        database_names = (connection.settings_dict["NAME"], bare_db)

        def processes(name: str) -> dict[str, list[int]]:
            found = groups[name]()
            found["load_generator"] = [os.getpid()]
            if backend == "postgresql":
                found["database"] = postgres_pids(database_names)
                found["database_all_postgres"] = all_postgres_pids()
            return found

        booked_answers = {"ours": 0, "bare": 0}
        # Every worker imports, connects and compiles its templates before anything counts.
        for name, target in targets.items():
            warm = cycle_load(target, clients=10, max_cycles=200, seconds=1.5, email_prefix=f"{name}-warm-")
            booked_answers[name] += warm.booked
        wait_for_outbox(OUTBOX_TIMEOUT)

        rounds: dict[str, list[dict]] = {"ours": [], "bare": []}
        loads: dict[str, list[CycleLoad]] = {"ours": [], "bare": []}
        order = []
        for pair in range((ROUNDS + 1) // 2):
            order += ["bare", "ours"] if pair % 2 == 0 else ["ours", "bare"]
        order = order[:ROUNDS]
        for number, name in enumerate(order):
            pids = processes(name)
            before = read_cpu(pids)
            result = cycle_load(
                targets[name],
                clients=CLIENTS,
                max_cycles=ROUND_MAX_CYCLES,
                seconds=ROUND_SECONDS,
                email_prefix=f"{name}{number}-",
            )
            after = read_cpu(_union(processes(name), pids))
            drained = None
            if name == "ours":
                # The worker sends the round's confirmation emails after it: counted until the
                # outbox is empty (and the database's work for them with it).
                drained = wait_for_outbox(OUTBOX_TIMEOUT)
                after_drain = read_cpu(_union(processes(name), pids))
                for group in ("worker", "database", "database_all_postgres"):
                    if group in after_drain:
                        after[group] = after_drain[group]
            spent = {group: cpu_ms(before, after, group) for group in pids}
            booked_answers[name] += result.booked
            loads[name].append(result)
            rounds[name].append(
                {
                    "cycles_per_second": round(result.per_second, 1),
                    "booked": result.booked,
                    "errors": result.errors,
                    "cpu_ms": {g: None if v is None else round(v, 1) for g, v in spent.items()},
                    "outbox": drained,
                }
            )
            per_cycle = {g: round(v / result.booked, 2) for g, v in spent.items() if v is not None and result.booked}
            log(
                f"cycle {name} (round {number + 1}/{len(order)}): {result.per_second:.0f} cycles/s, booked "
                f"{result.booked}, errors {result.errors}, not booked {result.not_booked}, POST p99 "
                f"{percentile(result.post_ms, 0.99) or 0:.0f} ms; CPU ms per cycle {per_cycle}"
                + (f"; outbox drained in {drained['seconds']} s" if drained else "")
                + (f" {result.samples[:2]}" if result.samples else "")
            )

        alone = {}
        for name in ("bare", "ours"):
            alone[name] = one_client(targets[name], ONE_CLIENT_CYCLES, f"{name}-alone-")
            booked_answers[name] += alone[name]["booked"] + alone[name]["warm_up_booked"]
            log(f"one client, {name}: {alone[name]}")
        wait_for_outbox(OUTBOX_TIMEOUT)

        results: dict = {
            "clients": CLIENTS,
            "round_seconds": ROUND_SECONDS,
            "order": order,
            "web_workers": web_workers,
            "web_threads": threads,
            "bare_startup_seconds": round(startup, 1),
        }
        for name in ("ours", "bare"):
            total = CycleLoad.combine(loads[name])
            cpu_total: dict[str, float] = {}
            for measured in rounds[name]:
                for group, value in measured["cpu_ms"].items():
                    if value is not None:
                        cpu_total[group] = cpu_total.get(group, 0.0) + value
            results[name] = {
                **total.as_dict(),
                "cpu_ms_per_cycle": {g: round(v / total.booked, 2) for g, v in cpu_total.items() if total.booked},
                "one_client": alone[name],
                "rounds": rounds[name],
            }
        results["ratio"] = (
            round(results["ours"]["cycles_per_second"] / results["bare"]["cycles_per_second"], 3)
            if results["bare"]["cycles_per_second"]
            else None
        )
        # Every booked answer is a booking stored, and nothing more (warm-up and one client included).
        from bookyourplace.bookings.models import Booking

        results["stored"] = {
            "ours": Booking.objects.filter(session_id=session.pk).count(),
            "bare": int(bare.manage("bench_session", "--count", str(bare_session))),
        }
        results["booked_answers"] = booked_answers
        log(
            f"cycle: ours {results['ours']['cycles_per_second']}/s, bare {results['bare']['cycles_per_second']}/s, "
            f"ratio {results['ratio']}; stored {results['stored']} for booked answers {booked_answers}"
        )
        return results
    finally:
        bare.stop()
        if backend == "postgresql":
            drop_database(bare_db)


def _union(first: dict[str, list[int]], second: dict[str, list[int]]) -> dict[str, list[int]]:
    return {name: sorted(set(first.get(name, [])) | set(second.get(name, []))) for name in first | second}
