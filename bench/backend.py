"""One database's half of `make bench`: start the service on it, measure, write JSON.

Run by bench/run.py as ``python bench/backend.py --backend postgresql --out result.json``
(one process per database, since Django's settings are fixed once a process sets them up).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attendance  # noqa: E402  (after a session: a Teams report at size, the live register)
import cycle  # noqa: E402  (the booking cycle against bare Django)
import launch  # noqa: E402  (the Prevent Week launch and the memory rounds)
from load import Client, PostLoad, booking_fields, booking_load, rush, wrk  # noqa: E402
from service import ROOT, RssSampler, Service, SmtpSink, free_port, reset_peak, status_kb  # noqa: E402

sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # bookyourplace, and bench.settings

PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_POSTGRES_DB", "bench_byp")  # another name lets two runs share a server
STAFF_EMAIL = "bench.admin@coventry.example"
STAFF_PASSWORD = secrets.token_urlsafe(16)

# Bounds: every loop stops by count and by time.
PAGE_SECONDS_COLD = int(os.environ.get("BENCH_PAGE_SECONDS_COLD", 2))
PAGE_SECONDS_WARM = int(os.environ.get("BENCH_PAGE_SECONDS_WARM", 3))
PAGE_ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", 3))
BOOKING_CLIENTS = 50
BOOKING_MAX_POSTS = int(os.environ.get("BENCH_BOOKING_MAX_POSTS", 1500))  # per slice
BOOKING_SECONDS = float(os.environ.get("BENCH_BOOKING_SECONDS", 5))  # per slice
BOOKING_ROUNDS = int(os.environ.get("BENCH_BOOKING_ROUNDS", 3))
RUSH_ATTEMPTS, RUSH_CAPACITY = 1000, 100
EMAILS = int(os.environ.get("BENCH_EMAILS", 10_000))
EMAIL_TIMEOUT = float(os.environ.get("BENCH_EMAIL_TIMEOUT", 150))
SCALE_BOOKINGS = int(os.environ.get("BENCH_SCALE_BOOKINGS", 100_000))
SCALE_SESSIONS = 50
TIMED_REPEATS = 5


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", PG_ADMIN_URL.replace("postgres://", "postgresql://", 1), "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
        timeout=60,
    )


def fresh_database(backend: str, name: str, workdir: Path) -> str:
    """A new, empty database for one run (PostgreSQL: ``name`` on 127.0.0.1; SQLite: a file
    in ``workdir``); its URL."""
    if backend == "postgresql":
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(f"CREATE DATABASE {name}")
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    return f"sqlite:///{workdir / (name + '.sqlite3')}"


# --- Data ----------------------------------------------------------------------------------------


class Data:
    """Creates what the measurements need, straight through the ORM (bulk where it is big)."""

    def __init__(self):
        from django.utils import timezone

        from bookyourplace.programmes.models import Organiser

        self.now = timezone.now()
        self.serial = 0
        self.organiser = Organiser.objects.create(
            name="Coventry Prevent Partnership", slug="coventry", contact_email="prevent@coventry.example"
        )

    def programme(self, slug: str, title: str, **fields):
        from bookyourplace.programmes.models import Programme

        return Programme.objects.create(
            organiser=self.organiser,
            slug=slug,
            title=title,
            status=Programme.Status.PUBLISHED,
            summary="Free briefings for everyone who works with children and adults at risk.",
            **fields,
        )

    def session(self, programme, title: str, starts, capacity: int, online: bool = True, **fields):
        from bookyourplace.programmes.models import Session

        values = {
            "programme": programme,
            "title": title,
            "subtitle": "A briefing for practitioners",
            "description": "<p>What the threat looks like locally, how to spot the signs and when to refer.</p>",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "capacity": capacity,
            "delivery": Session.Delivery.ONLINE if online else Session.Delivery.IN_PERSON,
            "platform": "Microsoft Teams" if online else "",
            "joining_url": "https://teams.microsoft.com/l/meetup-join/bench" if online else "",
            "venue": "" if online else "Friargate",
            "room": "" if online else "Room 1.4",
        }
        values.update(fields)
        return Session.objects.create(**values)

    def bookings(
        self, session, count: int, *, tag: str, status: str = "confirmed", created_at=None, batch: int = 5000
    ) -> None:
        from bookyourplace.bookings.models import Booking

        sectors = ["schools", "health", "police", "childrens_services", "adult_social_care", "other"]
        rows = []
        for _ in range(count):
            self.serial += 1
            n = self.serial
            rows.append(
                Booking(
                    session=session,
                    reference=f"{tag}{n:09d}"[:12],
                    first_name="Sam",
                    last_name=f"Person{n}",
                    email=f"{tag.lower()}{n}@bench.example",
                    organisation="Coventry City Council",
                    sector=sectors[n % len(sectors)],
                    job_title="Safeguarding lead",
                    consented_at=self.now,
                    status=status,
                    manage_token_seed="",
                    manage_token_hash=f"{n:064d}",
                )
            )
            if len(rows) >= batch:
                Booking.objects.bulk_create(rows)
                rows = []
        if rows:
            Booking.objects.bulk_create(rows)
        if created_at is not None:
            # Backdated: booked (and confirmed) before a reminder's moment.
            fields = {"created_at": created_at}
            if any(f.name == "confirmed_at" for f in Booking._meta.get_fields()):
                fields["confirmed_at"] = created_at
            Booking.objects.filter(session=session).update(**fields)

    def staff(self) -> None:
        from django.contrib.auth import get_user_model

        from bookyourplace.accounts.models import Role, StaffMember

        user = get_user_model().objects.create_user(STAFF_EMAIL, STAFF_EMAIL, STAFF_PASSWORD, first_name="Bench")
        StaffMember.objects.create(user=user, organiser=self.organiser, role=Role.ADMINISTRATOR)


def build_public_programme(data: Data):
    """A week like the flyer's: six sessions over five days, places partly taken."""
    programme = data.programme("bench-prevent-week", "Bench Prevent Week")
    first = (data.now + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    sessions = []
    for day in range(5):
        for slot in range(2 if day == 2 else 1):
            starts = first + timedelta(days=day, hours=3 * slot)
            online = (day + slot) % 2 == 0
            session = data.session(
                programme, f"Session {day + 1}.{slot + 1}: Prevent awareness", starts, capacity=60, online=online
            )
            data.bookings(session, 57 if day == 3 else 25, tag="PW")
            sessions.append(session)
    return programme, sessions


# --- Measurements --------------------------------------------------------------------------------


def _median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None


def page_loads(port: int, pages: dict[str, str], seconds: int, rounds: int = PAGE_ROUNDS) -> dict:
    """Each page in turn for a few seconds, for several rounds (the order turning each round),
    so ours and the baseline see the same background load; medians of the rounds."""
    for path in pages.values():
        # A few requests first so that every gunicorn worker has imported and connected.
        wrk(port, path, seconds=1, connections=8)
    runs: dict[str, list[dict]] = {name: [] for name in pages}
    names = list(pages)
    for round_number in range(rounds):
        for name in names[round_number % len(names) :] + names[: round_number % len(names)]:
            runs[name].append(wrk(port, pages[name], seconds=seconds).as_dict())
    results = {}
    for name, measured in runs.items():
        results[name] = {
            "url": pages[name],
            "rps": _median(r["rps"] for r in measured),
            "p50_ms": _median(r["p50_ms"] for r in measured),
            "p99_ms": _median(r["p99_ms"] for r in measured),
            "requests": sum(r["requests"] for r in measured),
            "errors": sum(r["errors"] for r in measured),
            "rounds": measured,
        }
        r = results[name]
        log(
            f"{name}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, errors {r['errors']} "
            f"(rounds: {', '.join(f'{x["rps"]:.0f}' for x in measured)})"
        )
    return results


def wait_for_outbox(timeout: float) -> dict:
    """Wait until every queued email is sent and no delivery run is waiting (bounded)."""
    from django_tasks_db.models import DBTaskResult

    from bookyourplace.notifications.models import Email

    began = time.monotonic()
    while time.monotonic() - began < timeout:
        unsent = Email.objects.filter(status__in=["queued", "sending"]).count()
        waiting = DBTaskResult.objects.filter(status="READY", queue_name="email").count()
        if not unsent and not waiting:
            break
        time.sleep(0.5)
    return {"seconds": round(time.monotonic() - began, 1), "unsent": unsent, "delivery_runs_waiting": waiting}


def measure_bookings(port: int, data: Data) -> dict:
    """50 clients posting the booking form, in alternating slices with the minimal booking
    view (same server, same background load); totals over the slices."""
    from bookyourplace.programmes.models import Session

    programme = data.programme("bench-booking", "Bench booking throughput")
    starts = data.now + timedelta(days=30)
    ours = data.session(programme, "Throughput (ours)", starts, capacity=1_000_000)
    base = data.session(programme, "Throughput (baseline)", starts, capacity=1_000_000)
    form = f"/programmes/{programme.slug}/sessions/{ours.pk}/book/"
    targets = {"baseline": f"/bench-baseline/sessions/{base.pk}/book/", "ours": form}
    slices: dict[str, list[PostLoad]] = {"baseline": [], "ours": []}
    for round_number in range(BOOKING_ROUNDS):
        order = ["baseline", "ours"] if round_number % 2 == 0 else ["ours", "baseline"]
        for name in order:
            result = booking_load(
                port,
                targets[name],
                form_path=form,
                clients=BOOKING_CLIENTS,
                max_posts=BOOKING_MAX_POSTS,
                seconds=BOOKING_SECONDS,
                email_prefix=f"{name}{round_number}-",
            )
            slices[name].append(result)
            log(
                f"booking {name} (round {round_number + 1}): {result.per_second:.0f}/s, booked {result.booked}, "
                f"errors {result.server_errors + result.other} {result.samples[:2]}"
            )
    combined = {name: PostLoad.combine(parts).as_dict() for name, parts in slices.items()}
    confirmed = Session.objects.get(pk=ours.pk).bookings.filter(status="confirmed").count()
    return {
        **combined,
        "confirmed_in_database": confirmed,
        "rounds": {name: [p.per_second for p in parts] for name, parts in slices.items()},
    }


def settle(service: Service, timeout: float = 60) -> dict:
    """Wait until the service is idle: earlier phases' emails sent and the task workers done
    starting (their CPU still for a second). The rush measures 1,000 people arriving at a
    quiet service, as at a launch, not the tail of the phase before it or a worker's start."""
    drained = wait_for_outbox(timeout)
    began = time.monotonic()
    pids = {"worker": service.task_workers()}
    before = cycle.read_cpu(pids)
    while time.monotonic() - began < timeout:
        time.sleep(1)
        after = cycle.read_cpu(pids)
        if after == before:
            break
        before = after
    return {**drained, "idle_after_seconds": round(time.monotonic() - began, 1)}


def measure_rush(port: int, service: Service, data: Data) -> dict:
    from bookyourplace.bookings.models import Booking

    programme = data.programme("bench-rush", "Bench rush")
    session = data.session(programme, "The rush", data.now + timedelta(days=30), capacity=RUSH_CAPACITY)
    path = f"/programmes/{programme.slug}/sessions/{session.pk}/book/"
    # Where the CPU of the rush went (web, task workers, database, this load generator):
    # on two cores the load generator's 1,000 threads share the machine with the service.
    groups = {
        "web": cycle.web_pids(service),
        "worker": service.task_workers(),
        "database": cycle.all_postgres_pids(),
        "load_generator": [os.getpid()],
    }
    settled = settle(service)
    log(f"rush: the service is idle ({settled})")
    before = cycle.read_cpu(groups)
    result = rush(port, path, form_path=path, attempts=RUSH_ATTEMPTS, email_prefix="rush")
    after = cycle.read_cpu(groups)
    cpu = {name: cycle.cpu_ms(before, after, name) for name in groups}
    holding = Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES).count()
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    answers = result.as_dict()
    log(
        f"rush: {result.booked} booked, {result.refused} refused, {result.server_errors} 5xx, {result.other} other, "
        f"{holding} in the database ({confirmed} confirmed), {result.seconds:.1f} s, "
        f"p99 of the answers {answers['p99_ms'] or 0:.0f} ms {result.samples[:2]}; CPU ms {cpu}"
    )
    return {
        **answers,
        "holding_in_database": holding,
        "confirmed_in_database": confirmed,
        "capacity": RUSH_CAPACITY,
        "people": RUSH_ATTEMPTS,
        "cpu_ms": cpu,
    }


def measure_email(data: Data, smtp: SmtpSink) -> dict:
    from bookyourplace.bookings import reminders
    from bookyourplace.notifications.models import Email

    drained = wait_for_outbox(240)
    log(f"outbox drained before the email run in {drained['seconds']} s ({drained})")
    # No reminders until the clock starts: the worker's minute-by-minute run would otherwise
    # queue (and send) some while the bookings are still being made.
    programme = data.programme("bench-reminders", "Bench reminders", reminder_days="", joining_reminder_minutes=0)
    starts = (data.now + timedelta(hours=20)).replace(microsecond=0)
    per_session = 500
    sessions = [
        data.session(
            programme, f"Reminder session {i + 1}", starts + timedelta(minutes=i), capacity=per_session, online=False
        )
        for i in range(EMAILS // per_session)
    ]
    made = time.monotonic()
    for session in sessions:
        # Made two days ago, before the reminder's moment (a day before the start).
        data.bookings(session, per_session, tag="RM", created_at=data.now - timedelta(days=2))
    log(f"{EMAILS} bookings for reminders made in {time.monotonic() - made:.1f} s")
    smtp.reset()
    began = time.monotonic()
    type(programme).objects.filter(pk=programme.pk).update(reminder_days="1")
    queued = reminders.send_due_reminders()
    queued_at = time.monotonic()
    total = Email.objects.filter(kind="reminder", booking__session__programme=programme).count()
    log(f"send_due_reminders queued {queued} ({total} in the outbox) in {queued_at - began:.1f} s")
    deadline = queued_at + EMAIL_TIMEOUT
    while smtp.count < total and time.monotonic() < deadline:
        time.sleep(0.05)
    done = time.monotonic()
    received = smtp.count
    delivery = done - queued_at
    log(f"SMTP received {received} of {total} in {delivery:.1f} s after queueing ({received / delivery:.0f}/s)")
    from django.db.models import Count

    outcome = dict(
        Email.objects.filter(kind="reminder", booking__session__programme=programme)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    log(f"the reminders in the outbox by status: {outcome}")
    return {
        "emails": total,
        "queued_by_this_call": queued,
        "received": received,
        "distinct_recipients": len(smtp.recipients),
        "queue_seconds": round(queued_at - began, 2),
        "delivery_seconds": round(delivery, 2),
        "total_seconds": round(done - began, 2),
        "emails_per_second": round(received / delivery, 1) if delivery else None,
        "timed_out": received < total,
        "outbox_by_status": outcome,
    }


def _timed_get(client: Client, path: str, repeats: int) -> dict:
    times, sizes, statuses = [], [], set()
    for _ in range(repeats):
        begun = time.perf_counter()
        response = client.request("GET", path)
        status, body = response.status, response.read()  # bytes: a PDF is not text
        times.append(time.perf_counter() - begun)
        sizes.append(len(body))
        statuses.add(status)
    times.sort()
    return {
        "path": path,
        "median_s": round(times[len(times) // 2], 4),
        "max_s": round(times[-1], 4),
        "statuses": sorted(statuses),
        "bytes": sizes[-1],
    }


def measure_scale(port: int, service: Service, data: Data) -> dict:
    from bookyourplace.bookings.models import Booking

    programme = data.programme("bench-scale", "Bench programme at scale")
    first = data.now + timedelta(days=40)
    per_session = SCALE_BOOKINGS // SCALE_SESSIONS
    sessions = [
        data.session(programme, f"Scale session {i + 1}", first + timedelta(hours=i), capacity=per_session + 100)
        for i in range(SCALE_SESSIONS)
    ]
    # The public side, before and after: does a booking or a page cost more with the data?
    public_before = _public_costs(port, programme, sessions[0], "before")
    made = time.monotonic()
    for session in sessions:
        data.bookings(session, per_session, tag="SC")
    total_bookings = Booking.objects.count()
    log(f"{SCALE_BOOKINGS} bookings made in {time.monotonic() - made:.1f} s ({total_bookings} in the database)")
    public_after = _public_costs(port, programme, sessions[0], "after")
    client = Client(port)
    client.sign_in(STAFF_EMAIL, STAFF_PASSWORD)
    results = {
        "bookings_in_database": total_bookings,
        "insert_seconds": round(time.monotonic() - made, 1),
        "public_before": public_before,
        "public_after": public_after,
    }
    pages = {
        "dashboard": "/backoffice/",
        "programme_report": f"/backoffice/programmes/{programme.pk}/",
        "session_bookings": f"/backoffice/sessions/{sessions[0].pk}/bookings/",
        "session_bookings_sorted": f"/backoffice/sessions/{sessions[0].pk}/bookings/?sort=-booked_at&page=20",
        "session_bookings_search": f"/backoffice/sessions/{sessions[0].pk}/bookings/?q=person1",
    }
    for name, path in pages.items():
        client.get(path)  # once to warm up
        results[name] = _timed_get(client, path, TIMED_REPEATS)
        log(
            f"{name}: median {results[name]['median_s'] * 1000:.0f} ms, max {results[name]['max_s'] * 1000:.0f} ms "
            f"(status {results[name]['statuses']})"
        )
    results["export"] = _export(client, service, f"/backoffice/programmes/{programme.pk}/export.csv")
    results["reports_history"] = _history_for_reports(data, programme, sessions)
    reports = {
        "reports": "/backoffice/reports/",
        "evaluation_summary": "/backoffice/reports/evaluation/",
        "report_pdf": f"/backoffice/reports/report.pdf?programme={programme.pk}",
    }
    for name, path in reports.items():
        client.request("GET", path).read()  # once to warm up
        results[name] = _timed_get(client, path, TIMED_REPEATS)
        log(
            f"{name}: median {results[name]['median_s'] * 1000:.0f} ms, max {results[name]['max_s'] * 1000:.0f} ms "
            f"(status {results[name]['statuses']}, {results[name]['bytes']} bytes)"
        )
    client.close()
    return results


def _history_for_reports(data: Data, programme, sessions) -> dict:
    """Give the reports something to count: half the sessions moved a month into the past, four
    in five of their people marked (one in ten of those only partly), half of those who came
    answering the survey (one in ten with a comment), and 300 organisations among everyone."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    from bookyourplace.attendance.models import Attendance
    from bookyourplace.bookings.models import Booking
    from bookyourplace.feedback.models import Answer, FeedbackRequest, Response, Role
    from bookyourplace.feedback.services import questions_of, survey_for
    from bookyourplace.programmes.models import Session

    made = time.monotonic()
    Booking.objects.filter(session__programme=programme).update(
        organisation=Concat(Value("Organisation "), Cast(F("pk") % 300, output_field=CharField()))
    )
    past = sessions[: len(sessions) // 2]
    for i, session in enumerate(past):
        starts = data.now - timedelta(days=30, hours=-i)
        Session.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    questions = {q.role: q for q in questions_of(survey_for(programme)) if q.role}
    comment = next(q for q in questions_of(survey_for(programme)) if not q.is_rating)
    marks, asked, answered = [], [], []
    rows = Booking.objects.filter(session__in=past).order_by("pk").values_list("pk", "session_id")
    for n, (booking_id, session_id) in enumerate(rows.iterator(chunk_size=5000)):
        if n % 5 == 4:
            continue  # not marked: a no-show once the session is over
        outcome = "partly_attended" if n % 10 == 3 else "attended"
        marks.append(
            Attendance(
                booking_id=booking_id, session_id=session_id, outcome=outcome, method="by_hand", marked_at=data.now
            )
        )
        asked.append(FeedbackRequest(booking_id=booking_id, session_id=session_id, queued_at=data.now))
        if n % 2 == 0:
            answered.append(
                Response(booking_id=booking_id, session_id=session_id, submitted_at=data.now, changed_at=data.now)
            )
    Attendance.objects.bulk_create(marks, batch_size=5000)
    FeedbackRequest.objects.bulk_create(asked, batch_size=5000)
    Response.objects.bulk_create(answered, batch_size=5000)
    answers = []
    responses = Response.objects.filter(session__in=past).order_by("pk").values_list("pk", flat=True)
    for n, response_id in enumerate(responses.iterator(chunk_size=5000)):
        for role, rating in (
            (Role.SATISFACTION, 3 + n % 3),
            (Role.CONFIDENCE_BEFORE, 1 + n % 3),
            (Role.CONFIDENCE_AFTER, 4),
        ):
            question = questions[role]
            answers.append(Answer(response_id=response_id, question=question, rating=rating, wording=question.text))
        if n % 10 == 0:
            text = ("Too short", "More local case studies", "Useful examples")[n % 3]
            answers.append(Answer(response_id=response_id, question=comment, text=text, wording=comment.text))
        if len(answers) >= 5000:
            Answer.objects.bulk_create(answers)
            answers = []
    Answer.objects.bulk_create(answers)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum would have them by the time anyone reads a
        # report: without them, PostgreSQL guesses at tables just filled in bulk.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    history = {
        "marks": len(marks),
        "responses": len(answered),
        "seconds": round(time.monotonic() - made, 1),
    }
    log(
        f"history for the reports: {history['marks']} marks, {history['responses']} responses in {history['seconds']} s"
    )
    return history


def _public_costs(port: int, programme, session, label: str, repeats: int = 20) -> dict:
    """Median time of the public programme page rendered afresh (its version raised before
    each request, so the cache cannot answer) and of one booking at a time."""
    from django.db.models import F

    from bookyourplace.bookings.models import Booking

    client = Client(port)

    def rendered_ms(page_programme) -> float:
        times = []
        for _ in range(repeats):
            type(page_programme).objects.filter(pk=page_programme.pk).update(page_version=F("page_version") + 1)
            began = time.perf_counter()
            client.get(page_programme.get_absolute_url())
            times.append(time.perf_counter() - began)
        return round(_median(times) * 1000, 1)

    # The week of six sessions, whose own bookings do not change, and the programme that
    # receives the 100,000 (50 sessions of 2,000).
    week = type(programme).objects.get(slug="bench-prevent-week")
    form = f"/programmes/{programme.slug}/sessions/{session.pk}/book/"
    token = client.csrf_token(form)
    cookie = client.cookies["csrftoken"]
    booking_times = []
    for n in range(repeats):
        client.cookies = {"csrftoken": cookie}
        began = time.perf_counter()
        response = client.post_form(form, booking_fields(f"{label}{n}@scale.example", token), keep_cookies=False)
        response.read()
        booking_times.append(time.perf_counter() - began)
        if response.status != 302:
            raise RuntimeError(f"booking answered {response.status}")
    client.close()
    result = {
        "bookings_in_database": Booking.objects.count(),
        "week_page_rendered_ms": rendered_ms(week),
        "programme_page_rendered_ms": rendered_ms(programme),
        "booking_ms": round(_median(booking_times) * 1000, 1),
    }
    log(f"public side {label} the 100,000: {result}")
    return result


def _export(client: Client, service: Service, path: str) -> dict:
    workers = service.gunicorn_workers()
    before = {pid: status_kb(pid, "VmRSS") or 0 for pid in workers}
    peak_reset = all(reset_peak(pid) for pid in workers)
    begun = time.perf_counter()
    size = lines = 0
    with RssSampler(workers) as sampler:
        response = client.request("GET", path)
        status = response.status
        while chunk := response.read(256 * 1024):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - begun
    peaks = {}
    for pid in workers:
        hwm = status_kb(pid, "VmHWM") if peak_reset else None
        peaks[pid] = max(sampler.peak.get(pid, 0), hwm or 0)
    growth = {pid: peaks[pid] - before[pid] for pid in workers}
    serving = max(growth, key=growth.get) if growth else None
    result = {
        "path": path,
        "status": status,
        "seconds": round(seconds, 2),
        "bytes": size,
        "rows": max(lines - 1, 0),
        "worker_rss_before_mb": round(before.get(serving, 0) / 1024, 1),
        "worker_peak_rss_mb": round(peaks.get(serving, 0) / 1024, 1),
        "worker_rss_growth_mb": round(growth.get(serving, 0) / 1024, 1),
        "measured_with": "VmHWM reset via clear_refs + VmRSS sampling" if peak_reset else "VmRSS sampling",
    }
    log(
        f"export: {result['rows']} rows, {size / 1e6:.1f} MB in {seconds:.1f} s; worker RSS "
        f"{result['worker_rss_before_mb']} -> peak {result['worker_peak_rss_mb']} MB "
        f"(+{result['worker_rss_growth_mb']} MB)"
    )
    return result


# --- The run -------------------------------------------------------------------------------------


def service_env(database_url: str, port: int, smtp_port: int, var_dir: Path, cache_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "CACHE_"))}
    env.update(
        {
            # The repository's root too, for bench.settings: the service's settings plus the
            # baselines (bench/baselines) under /bench-baseline/.
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "BEHIND_PROXY": "1",  # requests carry X-Forwarded-Proto: https, as from a TLS proxy
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "BYP_VAR_DIR": str(var_dir),
            "BYP_RATE_LIMITS": "0",  # every request comes from this one address
            "BIND": f"127.0.0.1:{port}",
        }
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


SECRET_KEY = secrets.token_urlsafe(50)


ALL_PHASES = ("pages", "cycle", "booking", "rush", "launch", "memory", "email", "scale", "attendance")


def run(backend: str, out: Path, phases: tuple[str, ...] = ALL_PHASES) -> dict:
    results: dict = {"backend": backend, "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    workdir = Path(tempfile.mkdtemp(prefix=f"byp-bench-{backend}-"))
    database_url = fresh_database(backend, PG_DB, workdir)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    smtp = SmtpSink()
    smtp.start()
    port = free_port()
    log_path = workdir / "service.log"
    results["service_log"] = str(log_path)
    # The bench's own Django: same settings and database as the service.
    os.environ.update(service_env(database_url, port, smtp.port, workdir, None))
    import django

    django.setup()
    service = None
    try:
        # Cold: the page cache switched off (a dummy cache), so every request renders from the
        # database, as the first request after a change does.
        service = Service(service_env(database_url, port, smtp.port, workdir, "dummycache://"), port, log_path)
        results["startup_seconds"] = round(service.start(), 1)
        log(f"service up (cold: no page cache) in {results['startup_seconds']} s on port {port}")
        data = Data()
        data.staff()
        programme, sessions = build_public_programme(data)
        pages = {
            "programme": programme.get_absolute_url(),
            "session": sessions[0].get_absolute_url(),
            "baseline_page": f"/bench-baseline/programmes/{programme.slug}/",
        }
        if "pages" in phases:
            results["pages_cold"] = page_loads(port, pages, PAGE_SECONDS_COLD)
        # Every later phase measures the service as production runs it: with its page cache,
        # also when the pages phase is left out.
        service.stop()
        service = Service(service_env(database_url, port, smtp.port, workdir, None), port, log_path)
        service.start()
        log("service up (warm: default page cache)")
        if "pages" in phases:
            results["pages_warm"] = page_loads(port, pages, PAGE_SECONDS_WARM)
        if "cycle" in phases:
            results["cycle"] = cycle.measure_cycle(
                backend=backend,
                port=port,
                service=service,
                data=data,
                workdir=workdir,
                fresh_database=fresh_database,
                drop_database=lambda name: psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                wait_for_outbox=wait_for_outbox,
                secret_key=SECRET_KEY,
                log=log,
            )
        if "booking" in phases:
            results["booking"] = measure_bookings(port, data)
        if "rush" in phases:
            results["rush"] = measure_rush(port, service, data)
        if "launch" in phases:
            results["launch"] = launch.measure_launch(port, service, data, smtp, wait_for_outbox)
        if "memory" in phases:
            results["memory"] = launch.measure_memory(port, service, data, wait_for_outbox)
        if "email" in phases:
            results["email"] = measure_email(data, smtp)
        if "scale" in phases:
            results["scale"] = measure_scale(port, service, data)
        if "attendance" in phases:
            results["attendance"] = attendance.measure_attendance(data, log)
        results["task_workers"] = len(service.task_workers())
        results["web_workers"] = len(service.gunicorn_workers())
    except Exception:
        results["error"] = traceback.format_exc()
        log("FAILED:\n" + results["error"])
    finally:
        if service is not None:
            service.stop()
        smtp.stop()
        from django.db import connections

        connections.close_all()
        if backend == "postgresql":
            try:
                psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except subprocess.SubprocessError as exc:
                log(f"could not drop {PG_DB}: {exc}")
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    out.write_text(json.dumps(results, indent=2, default=str))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--phases", default=",".join(ALL_PHASES), help="comma-separated: " + ", ".join(ALL_PHASES))
    args = parser.parse_args()
    run(args.backend, args.out, tuple(args.phases.split(",")))
