"""The Prevent Week launch (issue 12, points 3 and 5): 10,000 people told at 09:00 that the
week is open arrive over a minute, each loading the programme page, a session's page and its
form, then booking; the sessions fill and their forms turn into the waiting list.

Open loop: people arrive on a schedule fixed in advance (a Poisson process of the given
number of arrivals), whether or not the earlier ones have had their answers, as people
reading an email do. The load comes from a separate process (this file run as a script: one
asyncio loop, one keep-alive connection per person), so neither the bench's SMTP sink nor
its Django share its interpreter lock. bench/backend.py calls ``measure_launch`` (phase
"launch") and ``measure_memory`` (phase "memory": shorter launches repeated, resident memory
of every web process and task worker after each).

Every wait is bounded: people still waiting for an answer when the last arrival is
``GRACE`` seconds old are counted as not answered; the emails are waited for until
``EMAIL_LIMIT`` seconds after the last booking (bench/README.md has the environment variables).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from load import HOST, booking_fields, percentile  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_LAUNCH_PEOPLE", 10_000))
SECONDS = float(os.environ.get("BENCH_LAUNCH_SECONDS", 60))
GRACE = float(os.environ.get("BENCH_LAUNCH_GRACE", 20))  # after the last arrival
EMAIL_LIMIT = float(os.environ.get("BENCH_LAUNCH_EMAIL_LIMIT", 120))  # after the last booking
REQUEST_TIMEOUT = float(os.environ.get("BENCH_LAUNCH_REQUEST_TIMEOUT", 30))
BEFORE_DRAIN = 60  # earlier phases' emails sent first, so the launch's do not queue behind them
MEMORY_ROUNDS = int(os.environ.get("BENCH_MEMORY_ROUNDS", 4))
MEMORY_PEOPLE = int(os.environ.get("BENCH_MEMORY_PEOPLE", 1500))
MEMORY_SECONDS = float(os.environ.get("BENCH_MEMORY_SECONDS", 10))

STEPS = ("programme", "session", "form", "booking")  # booking: the POST and its redirect followed
STEP_TARGET_MS = 500
# The six sessions: how many of the people want each (uneven, as real demand is) and each one's
# places, as shares of everyone arriving. 68% of the people can have a place; all but the
# fourth session fill at different moments, and their forms become the waiting list.
POPULARITY = (0.25, 0.20, 0.15, 0.15, 0.15, 0.10)
CAPACITY_SHARE = (0.10, 0.16, 0.06, 0.18, 0.10, 0.08)
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
WAITING_LIST_INPUT = b'name="waiting_list" value="yes"'
JOIN_LINK = re.compile(rb'href="([^"]+/book/)"')


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The load: one asyncio loop, run in its own process ----------------------------------------


class NoAnswer(Exception):
    """The connection closed before any answer came."""


class Browser:
    """One person: one connection kept alive (opened again when the server closes it) and
    their cookies. HTTP/1.1 over asyncio streams: no client library needed."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = False  # a kept-alive connection may have been closed by the server meanwhile

    async def _connect(self) -> None:
        self.close()
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.used = False

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, bytes]:
        body = urlencode(fields).encode() if fields is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "X-Forwarded-Proto: https"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if fields is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: {self.origin}",
                f"Referer: {self.origin}{path}",
            ]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            if self.writer is None:
                await self._connect()
            reused = self.used
            try:
                self.writer.write(raw)
                await self.writer.drain()
                answer = await self._read_answer(method)
                break
            except (NoAnswer, ConnectionResetError, BrokenPipeError):
                # Only a kept-alive connection the server had closed before reading this
                # request is tried again (nothing was done with it); anything else is an error.
                self.close()
                if attempt == 2 or not reused:
                    raise
        self.used = True
        status, headers, content = answer
        for value in headers.get("set-cookie", []):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if any(v.lower() == "close" for v in headers.get("connection", [])):
            self.close()
        return answer

    async def _read_answer(self, method: str) -> tuple[int, dict, bytes]:
        line = await self.reader.readline()
        if not line:
            raise NoAnswer()
        status = int(line.split(None, 2)[1])
        headers: dict[str, list[str]] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if method == "HEAD" or status in (204, 304):
            return status, headers, b""
        if "content-length" in headers:
            return status, headers, await self.reader.readexactly(int(headers["content-length"][0]))
        if any("chunked" in v.lower() for v in headers.get("transfer-encoding", [])):
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return status, headers, b"".join(chunks)
        content = await self.reader.read()  # until the server closes
        self.close()
        return status, headers, content


class Launch:
    """The arrivals and what each person got, step by step."""

    def __init__(self, plan: dict):
        self.plan = plan
        self.port = plan["port"]
        self.times: dict[str, list[float]] = {step: [] for step in STEPS}
        self.outcomes: Counter = Counter()  # confirmed, waiting list, refused, error, not answered
        self.by_session: dict[str, Counter] = {}
        self.statuses: Counter = Counter()  # "step status" for every answer
        self.server_errors = 0
        self.told_full_when_booking = 0  # the form offered a place, the answer said full
        self.not_answered_at: Counter = Counter()
        self.samples: list[str] = []
        self.lag: list[float] = []
        self.last_booking_answer = 0.0  # wall clock (time.time) of the last booking answered
        self.deadline = 0.0  # loop time

    def note(self, text: str) -> None:
        if len(self.samples) < 8:
            self.samples.append(text[:300])

    async def timed(self, browser: Browser, step: str, method: str, path: str, fields=None):
        remaining = self.deadline - asyncio.get_running_loop().time()
        began = time.perf_counter()
        async with asyncio.timeout(max(0.0, min(REQUEST_TIMEOUT, remaining))):
            status, headers, content = await browser.request(method, path, fields)
            if step == "booking" and status == 302:
                # The booking as the person sees it: the confirmation page after the redirect.
                location = urlsplit(headers.get("location", [""])[0])
                page = location.path + (f"?{location.query}" if location.query else "")
                shown, headers, content = await browser.request("GET", page)
                if shown != 200:
                    self.note(f"confirmation page {page}: {shown}")
                # 302 stands for "booked and shown the confirmation page"; a page that did not
                # show is an error (5xx) or something unexpected (0).
                status = 302 if shown == 200 else shown if shown >= 500 else 0
        self.times[step].append((time.perf_counter() - began) * 1000)
        self.statuses[f"{step} {status}"] += 1
        if status >= 500:
            self.server_errors += 1
            self.note(f"{step} {path}: {status} {content[:200]!r}")
        return status, content

    async def person(self, number: int, session: dict) -> None:
        browser = Browser(self.port)
        step = "programme"
        outcome = "not answered"  # unless an answer says otherwise (also when cancelled at the deadline)
        try:
            status, _ = await self.timed(browser, "programme", "GET", self.plan["programme"])
            if status == 200:
                step = "session"
                status, _ = await self.timed(browser, "session", "GET", session["page"])
            if status != 200:
                outcome = "error"
                self.note(f"{step}: {status}")
                return
            email = f"{self.plan['email_prefix']}{number:05d}@launch.example"
            for attempt in (1, 2):
                step = "form"
                status, content = await self.timed(browser, "form", "GET", session["form"])
                token = CSRF_INPUT.search(content) if status == 200 else None
                if token is None:
                    outcome = "refused" if status == 200 else "error"  # the form not offered at all
                    if status != 200:
                        self.note(f"form: {status}")
                    return
                waiting_list = WAITING_LIST_INPUT in content
                fields = booking_fields(email, token.group(1).decode())
                if waiting_list:
                    fields["waiting_list"] = "yes"
                step = "booking"
                status, content = await self.timed(browser, "booking", "POST", session["form"], fields)
                if status == 302:
                    outcome = "waiting list" if waiting_list else "confirmed"
                    self.last_booking_answer = max(self.last_booking_answer, time.time())
                    return
                if status == 409 and attempt == 1 and not waiting_list and JOIN_LINK.search(content):
                    # Filled meanwhile: the answer offers the waiting list; the person takes it.
                    self.told_full_when_booking += 1
                    continue
                outcome = "refused" if status == 409 else "error"
                if status != 409:
                    self.note(f"booking: {status} {content[:200]!r}")
                return
        except TimeoutError:
            outcome = "not answered"
        except (OSError, NoAnswer, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            outcome = "error"
            self.note(f"{step}: {exc!r}")
        finally:
            browser.close()
            if outcome == "not answered":
                self.not_answered_at[step] += 1
            self.outcomes[outcome] += 1
            self.by_session.setdefault(session["title"], Counter())[outcome] += 1

    async def run(self) -> dict:
        plan = self.plan
        people, seconds = plan["people"], plan["seconds"]
        chooser = random.Random(plan.get("seed", 9))
        # A Poisson process with exactly `people` arrivals: uniform times, sorted.
        arrivals = sorted(chooser.uniform(0, seconds) for _ in range(people))
        sessions = plan["sessions"]
        wanted = chooser.choices(sessions, weights=[s["popularity"] for s in sessions], k=people)
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.2
        self.deadline = start + seconds + plan["grace"]
        wall_start = time.time() + 0.2
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        tasks = []
        for number, (offset, session) in enumerate(zip(arrivals, wanted, strict=True)):
            delay = start + offset - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.lag.append((loop.time() - start - offset) * 1000)
            tasks.append(asyncio.create_task(self.person(number, session)))
        arrived = loop.time() - start
        # Every request's timeout ends by the deadline; a little more for the tasks to finish.
        _, late = await asyncio.wait(tasks, timeout=max(0.0, self.deadline - loop.time()) + 5)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=5)
        elapsed = loop.time() - start
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        generator_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        answered = sum(self.outcomes.values())
        return {
            "people": people,
            "arrival_seconds": seconds,
            "arrivals_took_seconds": round(arrived, 2),
            "seconds": round(elapsed, 2),
            "steps": {step: _stats(times) for step, times in self.times.items()},
            "outcomes": dict(self.outcomes),
            "not_answered": self.outcomes["not answered"] + (people - answered),
            "not_answered_at": dict(self.not_answered_at),
            "told_full_when_booking": self.told_full_when_booking,
            "server_errors": self.server_errors,
            "statuses": dict(sorted(self.statuses.items())),
            "by_session": {title: dict(c) for title, c in self.by_session.items()},
            "samples": self.samples,
            "started_at": wall_start,
            "last_booking_answer_at": self.last_booking_answer or None,
            # Whether the load generator kept its schedule (it is not the bottleneck if so).
            "arrival_lag_ms": {
                "p50": percentile(self.lag, 0.5),
                "p99": percentile(self.lag, 0.99),
                "max": max(self.lag),
            },
            "generator_cpu_seconds": round(generator_cpu, 1),
            "generator_cpu_share": round(generator_cpu / elapsed, 2) if elapsed else None,
        }


def _stats(times: list[float]) -> dict:
    return {
        "count": len(times),
        "p50_ms": _round(percentile(times, 0.5)),
        "p99_ms": _round(percentile(times, 0.99)),
        "max_ms": _round(max(times) if times else None),
    }


def _round(value):
    return None if value is None else round(value, 1)


# --- Driving it from bench/backend.py (the service started, Django set up) ---------------------


def build_week(data, slug: str, people: int):
    """A published week of six sessions sized for `people` arrivals (Data from backend.py)."""
    programme = data.programme(slug, f"Prevent Week ({slug})")
    first = (data.now + timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
    sessions = []
    for number, share in enumerate(CAPACITY_SHARE):
        day, slot = (number, 0) if number < 3 else (number - 1, 0) if number > 3 else (2, 1)
        starts = first + timedelta(days=day, hours=3 * slot)
        capacity = max(1, round(share * people))
        title = f"Session {number + 1}: Prevent awareness"
        sessions.append(data.session(programme, title, starts, capacity=capacity, online=number % 2 == 0))
    return programme, sessions


def run_load(port: int, programme, sessions, *, people: int, seconds: float, grace: float, prefix: str) -> dict:
    """The arrivals, from a process of their own; what it measured."""
    plan = {
        "port": port,
        "people": people,
        "seconds": seconds,
        "grace": grace,
        "email_prefix": prefix,
        "programme": programme.get_absolute_url(),
        "sessions": [
            {
                "title": s.title,
                "page": s.get_absolute_url(),
                "form": f"/programmes/{programme.slug}/sessions/{s.pk}/book/",
                "popularity": share,
            }
            for s, share in zip(sessions, POPULARITY, strict=True)
        ],
    }
    done = subprocess.run(
        [sys.executable, __file__],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=seconds + grace + 60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"The launch's load generator failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def in_database(programme, sessions, settle: float = 15) -> dict:
    """Places held and people waiting per session, read after the load: never more held than
    the session's capacity."""
    from django.db.models import Count, Max

    from bookyourplace.bookings.models import Booking

    bookings = Booking.objects.filter(session__programme=programme)
    # Requests sent by people who stopped waiting are still in the server's queue and may
    # still book: read once the count has stood still for two seconds (bounded).
    give_up, last, still = time.monotonic() + settle, -1, 0
    while time.monotonic() < give_up and still < 4:
        count = bookings.count()
        still, last = (still + 1 if count == last else 0), count
        time.sleep(0.5)
    counts = Counter()
    for session_id, status, n in bookings.values_list("session_id", "status").annotate(n=Count("id")):
        counts[session_id, status] = n
    per_session, totals = [], Counter()
    for s in sessions:
        holding = sum(counts[s.pk, status] for status in Booking.HOLDING_STATUSES)
        row = {
            "title": s.title,
            "capacity": s.capacity,
            "holding": holding,
            "confirmed": counts[s.pk, Booking.Status.CONFIRMED],
            "waiting": counts[s.pk, Booking.Status.WAITING],
            "overbooked": max(0, holding - s.capacity),
        }
        per_session.append(row)
        totals.update({k: v for k, v in row.items() if k != "title"})
    return {
        **dict(totals),
        "sessions": per_session,
        "last_booking_at": bookings.aggregate(last=Max("created_at"))["last"],
    }


def wait_for_emails(programme, last_booking_at, limit: float, smtp=None) -> dict:
    """Every email the bookings queued (booking confirmed, waiting list joined) sent, waited
    for until `limit` seconds after the last booking; how long after it the last one left."""
    from django.db.models import Count, Max
    from django.utils import timezone

    from bookyourplace.notifications.models import Email

    emails = Email.objects.filter(booking__session__programme=programme)
    if last_booking_at is not None:
        give_up = last_booking_at + timedelta(seconds=limit + 2)
        while timezone.now() < give_up and emails.filter(status__in=["queued", "sending"]).exists():
            time.sleep(0.5)
    by_status = dict(emails.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_kind = dict(emails.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    total = sum(by_status.values())
    last_sent = emails.aggregate(last=Max("sent_at"))["last"]
    all_sent = total > 0 and by_status.get("sent", 0) == total
    seconds = (last_sent - last_booking_at).total_seconds() if all_sent and last_booking_at else None
    return {
        "emails": total,
        "by_status": by_status,
        "by_kind": by_kind,
        "all_sent": all_sent,
        "seconds_after_last_booking": None if seconds is None else round(seconds, 1),
        "smtp_received": smtp.count if smtp is not None else None,
        "limit_seconds": limit,
    }


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def processes(service) -> dict[str, int]:
    """The service's processes by name: web 1..n (gunicorn workers), worker 1..n (tasks)."""
    named = {f"web {n + 1}": pid for n, pid in enumerate(sorted(service.gunicorn_workers()))}
    named.update({f"worker {n + 1}": pid for n, pid in enumerate(sorted(service.task_workers()))})
    return named


def resident_mb(named: dict[str, int]) -> dict[str, float | None]:
    from service import status_kb

    result = {}
    for name, pid in named.items():
        kb = status_kb(pid, "VmRSS")
        result[name] = None if kb is None else round(kb / 1024, 1)
    return result


def measure_launch(port: int, service, data, smtp, wait_for_outbox) -> dict:
    drained = wait_for_outbox(BEFORE_DRAIN)
    log(f"launch: outbox drained first in {drained['seconds']} s ({drained})")
    programme, sessions = build_week(data, "bench-launch", PEOPLE)
    named = processes(service)
    cpu_before = {name: _cpu_seconds(pid) for name, pid in named.items()}
    busy_before = _machine_busy()
    smtp.reset()
    log(f"launch: {PEOPLE} people over {SECONDS:.0f} s on {sum(s.capacity for s in sessions)} places")
    load = run_load(port, programme, sessions, people=PEOPLE, seconds=SECONDS, grace=GRACE, prefix="launch")
    busy_after = _machine_busy()
    cpu = {name: round(_cpu_seconds(pid) - cpu_before[name], 1) for name, pid in named.items()}
    database = in_database(programme, sessions)
    emails = wait_for_emails(programme, database["last_booking_at"], EMAIL_LIMIT, smtp)
    memory = resident_mb(named)
    steps = load["steps"]
    log(
        "launch: "
        + ", ".join(f"{step} p50 {s['p50_ms']} / p99 {s['p99_ms']} ms" for step, s in steps.items())
        + f"; outcomes {load['outcomes']}, {load['server_errors']} 5xx, {load['not_answered']} not answered, "
        f"told full when booking {load['told_full_when_booking']}; "
        f"arrival lag p99 {load['arrival_lag_ms']['p99']:.0f} ms, "
        f"generator CPU {load['generator_cpu_share']:.0%} of a core {load['samples'][:2]}"
    )
    log(
        f"launch: in the database {database['confirmed']} confirmed, {database['waiting']} waiting, "
        f"{database['overbooked']} overbooked; emails {emails}"
    )
    log(f"launch: resident memory (MB) after: {memory}; CPU seconds during: {cpu}")
    ms = [steps[step]["p99_ms"] for step in STEPS]
    return {
        **load,
        "database": {k: v for k, v in database.items() if k != "last_booking_at"},
        "last_booking_at": str(database["last_booking_at"]),
        "emails": emails,
        "resident_mb_after": memory,
        "cpu_seconds": cpu,
        "machine_busy": round((busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]), 2),
        "steps_met": all(p is not None and p < STEP_TARGET_MS for p in ms) and load["not_answered"] == 0,
        "emails_met": emails["all_sent"] and (emails["seconds_after_last_booking"] or 0) < EMAIL_LIMIT,
        "capacity": sum(s.capacity for s in sessions),
    }


def measure_memory(port: int, service, data, wait_for_outbox) -> dict:
    """Shorter launches, one after another (each on a week of its own), with the resident
    memory of every process after each: what is kept should not grow round after round."""
    named = processes(service)
    rounds = [{"round": 0, "resident_mb": resident_mb(named)}]
    log(f"memory: before the rounds {rounds[0]['resident_mb']}")
    for number in range(1, MEMORY_ROUNDS + 1):
        programme, sessions = build_week(data, f"bench-memory-{number}", MEMORY_PEOPLE)
        load = run_load(
            port, programme, sessions, people=MEMORY_PEOPLE, seconds=MEMORY_SECONDS, grace=GRACE, prefix=f"m{number}-"
        )
        wait_for_outbox(60)
        rounds.append(
            {
                "round": number,
                "outcomes": load["outcomes"],
                "server_errors": load["server_errors"],
                "booking_p99_ms": load["steps"]["booking"]["p99_ms"],
                "resident_mb": resident_mb(named),
            }
        )
        log(
            f"memory: round {number}: {load['outcomes']}, {load['server_errors']} 5xx, booking p99 "
            f"{load['steps']['booking']['p99_ms']} ms; resident MB {rounds[-1]['resident_mb']}"
        )
    # From the end of the first round (everything imported, caches warmed) to the end of the last.
    first, last = rounds[1]["resident_mb"] if len(rounds) > 1 else {}, rounds[-1]["resident_mb"]
    growth = {
        name: round(last[name] - first[name], 1) if last.get(name) is not None and first.get(name) is not None else None
        for name in named
    }
    log(f"memory: growth from round 1 to round {MEMORY_ROUNDS} (MB): {growth}")
    return {"rounds": rounds, "growth_mb": growth, "people_per_round": MEMORY_PEOPLE, "seconds": MEMORY_SECONDS}


if __name__ == "__main__":
    # The load generator: the plan on stdin, what it measured on stdout (JSON).
    print(json.dumps(asyncio.run(Launch(json.loads(sys.stdin.read())).run())))
