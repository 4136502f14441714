"""Where a booking's and an email's time goes: `.venv/bin/python bench/where_time_goes.py`.

In one process, no HTTP, production settings, on a fresh PostgreSQL database (profile_byp on
127.0.0.1) and a fresh SQLite file: a booking form posted through Django's test client, the
same for the minimal booking view, and the worker's delivery of reminders to an SMTP server
on loopback. Prints per booking: the time in all, the time inside the transaction (on SQLite
all of it holds the database's one write lock, which every other booking waits for; on
PostgreSQL the session's lock is held only from the SELECT ... FOR UPDATE to the commit), the
statements sent, and the functions that cost most (cProfile). The figures behind the notes
in the README ("Measure it").

    .venv/bin/python bench/where_time_goes.py                      # both databases, booking and email
    .venv/bin/python bench/where_time_goes.py --backend sqlite --what booking --top 30
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))  # bench.settings: the service's settings plus the baselines

PG_DB = "profile_byp"
BOOKINGS = 400  # per measurement, bounded
EMAILS = 1000


def setup(backend: str, workdir: Path, smtp_port: int) -> None:
    from backend import fresh_database

    url = fresh_database(backend, PG_DB, workdir)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SITE_URL="https://testserver",
        BEHIND_PROXY="1",
        DATABASE_URL=url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        BYP_VAR_DIR=str(workdir),
        BYP_RATE_LIMITS="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class TransactionClock:
    """Times each outermost transaction (atomic block) while installed."""

    def __init__(self):
        from django.db import transaction

        self.transaction, self.times, self._began = transaction, [], None
        self._enter, self._exit = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def __enter__(self):
        clock = self

        def enter(atomic):
            if not clock.transaction.get_connection().in_atomic_block:
                clock._began = time.perf_counter()
            return clock._enter(atomic)

        def exit_(atomic, *exc):
            result = clock._exit(atomic, *exc)
            if not clock.transaction.get_connection().in_atomic_block and clock._began is not None:
                clock.times.append(time.perf_counter() - clock._began)
                clock._began = None
            return result

        self.transaction.Atomic.__enter__, self.transaction.Atomic.__exit__ = enter, exit_
        return self

    def __exit__(self, *exc):
        self.transaction.Atomic.__enter__, self.transaction.Atomic.__exit__ = self._enter, self._exit

    def median_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[len(ordered) // 2] * 1000 if ordered else 0.0


def _top(profile: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(r"bookyourplace|django/(db|forms|template|core/mail)", top)
    return "\n".join(line[:160] for line in out.getvalue().splitlines() if line.strip())


def profile_booking(data, top: int) -> None:
    from django.db import connection
    from django.test import Client

    programme = data.programme("profile", "Profile")
    starts = data.now + timedelta(days=30)
    ours = data.session(programme, "Ours", starts, capacity=10**6)
    minimal = data.session(programme, "Minimal", starts, capacity=10**6)
    client = Client(HTTP_X_FORWARDED_PROTO="https", secure=True)
    serial = iter(range(10**7))

    def post(path: str) -> None:
        body = urlencode(
            {
                "first_name": "Sam",
                "last_name": "Bench",
                "email": f"person{next(serial)}@bench.example",
                "organisation": "Coventry City Council",
                "sector": "schools",
                "job_title": "Teacher",
                "consent": "yes",
            }
        )
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise RuntimeError(f"{path} answered {response.status_code}")
        client.cookies.clear()

    paths = {
        "ours": f"/programmes/{programme.slug}/sessions/{ours.pk}/book/",
        "minimal": f"/bench-baseline/sessions/{minimal.pk}/book/",
    }
    for name, path in paths.items():
        for _ in range(20):  # warm up: imports, templates, connections
            post(path)
        statements = []  # (a query log would be emptied by the request's start signal)

        def note(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            post(path)
        best = None
        for _round in range(3):  # the best of three, as the machine may be busy
            with TransactionClock() as clock:
                began = time.perf_counter()
                for _ in range(BOOKINGS):
                    post(path)
                total = (time.perf_counter() - began) / BOOKINGS * 1000
            if best is None or total < best[0]:
                best = (total, clock.median_ms())
        print(
            f"  {name:8} {best[0]:5.2f} ms a booking, {best[1]:5.2f} ms of it inside the transaction, "
            f"{len(statements)} statements"
        )
        if name == "ours":
            for sql in statements:
                print(f"             {sql[:110]}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(BOOKINGS):
        post(paths["ours"])
    profile.disable()
    print(_top(profile, top))


def profile_email(data, top: int, smtp) -> None:
    from bookyourplace.bookings import reminders
    from bookyourplace.bookings.email_content import render_email
    from bookyourplace.notifications.delivery import deliver_due
    from bookyourplace.notifications.models import Email

    programme = data.programme("profile-reminders", "Reminders", reminder_days="1", joining_reminder_minutes=0)
    session = data.session(programme, "Reminded", data.now + timedelta(hours=20), capacity=EMAILS, online=False)
    data.bookings(session, EMAILS, tag="PR", created_at=data.now - timedelta(days=2))
    began = time.perf_counter()
    queued = reminders.send_due_reminders()
    print(f"  queued {queued} reminders in {time.perf_counter() - began:.2f} s")
    emails = list(
        Email.objects.select_related("message").prefetch_related("about__session__programme__organiser")[:200]
    )
    began = time.perf_counter()
    for email in emails:
        render_email(email, email.about).message().as_bytes()
    print(
        f"  building one message (templates, invite, MIME): {(time.perf_counter() - began) / len(emails) * 1000:.2f} ms"
    )
    smtp.reset()
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    counts = deliver_due()
    profile.disable()
    print(
        f"  one worker delivered {counts['sent']} in {time.perf_counter() - began:.1f} s "
        f"(profiled; SMTP server received {smtp.count})"
    )
    print(_top(profile, top))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"])
    parser.add_argument("--what", choices=["booking", "email"])
    parser.add_argument("--top", type=int, default=20, help="how many functions to list")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:
        # One process per database: Django's settings are fixed once set up.
        for backend in [args.backend] if args.backend else ["postgresql", "sqlite"]:
            command = [sys.executable, __file__, "--child", "--backend", backend, "--top", str(args.top)]
            subprocess.run(command + (["--what", args.what] if args.what else []), check=False, timeout=600)
        return 0
    import logging

    from service import SmtpSink

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    smtp = SmtpSink()
    smtp.start()
    try:
        with tempfile.TemporaryDirectory(prefix="byp-profile-") as workdir:
            setup(args.backend, Path(workdir), smtp.port)
            print(f"== {args.backend} ==", flush=True)
            from backend import Data

            data = Data()
            # Email first: the booking profile leaves its confirmations in the outbox.
            if args.what in (None, "email"):
                profile_email(data, args.top, smtp)
            if args.what in (None, "booking"):
                profile_booking(data, args.top)
            from django.db import connections

            connections.close_all()
    finally:
        smtp.stop()
        if args.backend == "postgresql":
            from backend import psql

            psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
