"""Faults the outbox must survive without losing or repeating an email.

The mail server going away, a worker killed with SIGKILL in the middle of a thousand emails,
two workers running at once. The worker tests start real ``manage.py db_worker`` processes
on this test's own database (a file on SQLite, test_<name>_<pid> on PostgreSQL), so they
need committed data (transactional_db), and send to a real SMTP server on loopback.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place
from bookyourplace.bookings.tests.test_email_delivery import ready_delivery_runs
from bookyourplace.bookings.tokens import hash_token, token_from_seed
from bookyourplace.core.testing.smtp import CollectingHandler, LoopbackSmtpServer, parse
from bookyourplace.notifications import delivery
from bookyourplace.notifications.delivery import deliver_outbox, retry_delay
from bookyourplace.notifications.models import Email

LEASE_SECONDS = 2
# Bounds, not expectations: a worker must start within a minute, and a delivery that makes
# no progress for STALL_SECONDS (or runs past DELIVERY_SECONDS) fails the test.
WORKER_START_SECONDS = 60
STALL_SECONDS = 30
DELIVERY_SECONDS = 300


# --- An SMTP server that takes a moment over each message -------------------------------------------


class PacedHandler(CollectingHandler):
    """Keeps every message, after a short pause, so a thousand take long enough to interrupt."""

    def __init__(self, pause: float):
        super().__init__()
        self.pause = pause

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.pause)
        return await super().handle_DATA(server, session, envelope)


def paced_smtp_server(pause: float) -> LoopbackSmtpServer:
    return LoopbackSmtpServer(PacedHandler(pause))


@pytest.fixture
def slow_smtp_server():
    server = paced_smtp_server(pause=0.002)
    server.start()
    yield server
    server.stop()


def message_ids(server: LoopbackSmtpServer) -> Counter:
    """How many times each outbox row's Message-ID (``byp-email-<pk>``) arrived."""
    return Counter(parse(envelope)["Message-ID"].strip("<>").split("@")[0] for envelope in server.envelopes)


def message_id_of(email: Email) -> str:
    return email.message_id_local_part


# --- Real worker processes on this test's database ---------------------------------------------------


def this_tests_database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """``manage.py db_worker`` in a process of its own, as `make serve` runs it."""

    def __init__(self, *, smtp_port: int, log_dir: Path, name: str):
        self.log_path = log_dir / f"{name}.log"
        env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "EMAIL_HOST", "EMAIL_PORT"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bookyourplace.test_settings",
                "DATABASE_URL": this_tests_database_url(),
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                "BYP_EMAIL_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
                "PYTHONUNBUFFERED": "1",
            }
        )
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.1"]
            + ["--no-startup-delay", "--no-reload", "--worker-id", name],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_started(self) -> None:
        wait_until(lambda: "Starting worker" in self.log or self.process.poll() is not None, WORKER_START_SECONDS)
        assert self.process.poll() is None, f"the worker exited:\n{self.log}"

    def kill(self) -> None:
        """SIGKILL: no clean-up, no finishing the current email."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def wait_until(condition, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def wait_while_progressing(done, progress) -> bool:
    """Wait until ``done()``, for as long as ``progress()`` keeps changing (bounded both ways)."""
    deadline = time.monotonic() + DELIVERY_SECONDS
    last, last_change = progress(), time.monotonic()
    while time.monotonic() < min(deadline, last_change + STALL_SECONDS):
        if done():
            return True
        time.sleep(0.25)
        if (now := progress()) != last:
            last, last_change = now, time.monotonic()
    return done()


def queue_emails(session, count: int) -> None:
    """``count`` confirmed bookings, each with its confirmation waiting in the outbox."""
    now = timezone.now()
    Booking.objects.bulk_create(
        Booking(
            session=session,
            reference=f"BYP-T{index:05d}",
            first_name="Fault",
            last_name=f"Tolerant{index}",
            email=f"person{index:04d}@faults.example",
            organisation="Coventry City Council",
            sector="schools",
            job_title="Designated safeguarding lead",
            consented_at=now,
            status=Booking.Status.CONFIRMED,
            manage_token_seed=f"{index:032x}",
            manage_token_hash=hash_token(token_from_seed(f"{index:032x}")),
        )
        for index in range(count)
    )
    Email.objects.bulk_create(
        Email(
            about=booking,
            kind=EmailKind.CONFIRMATION,
            to=booking.email,
            invite_method="REQUEST",
            invite_sequence=0,
            include_joining_details=True,
        )
        for booking in Booking.objects.filter(session=session)
    )


def unfinished_emails() -> int:
    return Email.objects.exclude(status__in=[Email.Status.SENT, Email.Status.FAILED]).count()


def describe(server: LoopbackSmtpServer, *workers: WorkerProcess) -> str:
    statuses = Counter(Email.objects.values_list("status", flat=True))
    logs = "\n".join(f"--- {w.log_path.name}\n{w.log[-3000:]}" for w in workers)
    return f"received {len(server.envelopes)}, outbox {dict(statuses)}\n{logs}"


# --- The mail server is down ------------------------------------------------------------------------


def start_again(server: LoopbackSmtpServer) -> None:
    """The mail server comes back on the same port (an aiosmtpd controller starts only once)."""
    server.controller = Controller(server.handler, hostname="127.0.0.1", port=server.port, server_hostname="smtp.test")
    server.start()


def make_every_retry_due() -> None:
    Email.objects.filter(status=Email.Status.QUEUED).update(next_attempt_at=timezone.now())
    ready_delivery_runs().update(run_after=timezone.now())


@pytest.mark.django_db
def test_smtp_server_down_bookings_succeed_and_emails_back_off_then_arrive_exactly_once(
    smtp_server, make_session, attendee_details, run_worker
):
    # Arrange: the server takes the first booking's email, then goes away
    server = smtp_server
    session = make_session(capacity=50)
    book_place(session_id=session.pk, attendee=attendee_details(email="first@faults.example"))
    run_worker()
    assert len(server.envelopes) == 1
    server.stop()

    # Act: five people book while it is down, and the worker tries three times
    bookings = [
        book_place(session_id=session.pk, attendee=attendee_details(email=f"person{i}@faults.example"))
        for i in range(5)
    ]
    rounds = []
    for attempt in (1, 2, 3):
        if attempt > 1:
            make_every_retry_due()
        before = timezone.now()
        run_worker()
        rows = list(Email.objects.filter(booking__in=bookings))
        # The email the worker tried this time (a failed connection gives the rest back untried)
        waits = [row.next_attempt_at - before for row in rows if row.attempts == attempt]
        rounds.append(({row.status for row in rows}, max(row.attempts for row in rows), waits))

    # Assert: every booking stands, every email still waits, nothing arrived, and each retry
    # of the same email waits longer than the one before
    assert all(booking.is_confirmed for booking in bookings)
    assert session.bookings.filter(status=Booking.Status.CONFIRMED).count() == 6
    for attempt, (statuses, most_attempts, waits) in enumerate(rounds, start=1):
        assert statuses == {Email.Status.QUEUED}
        assert most_attempts == attempt
        assert waits
        assert all(retry_delay(attempt) <= wait < retry_delay(attempt) + timedelta(seconds=10) for wait in waits)
    assert retry_delay(1) < retry_delay(2) < retry_delay(3)
    assert len(server.envelopes) == 1

    # Act: the server is back; the worker waits for the retries to fall due, then sends
    start_again(server)
    run_worker()
    assert len(server.envelopes) == 1
    make_every_retry_due()
    run_worker()

    # Assert: every email arrived, each exactly once
    per_recipient = Counter(recipient for envelope in server.envelopes for recipient in envelope.rcpt_tos)
    assert per_recipient == Counter(["first@faults.example"] + [f"person{i}@faults.example" for i in range(5)])
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    assert ready_delivery_runs().count() == 0


# --- A batch that outlasts its lease ----------------------------------------------------------------


@pytest.mark.django_db
def test_deliver_due_batch_outlasting_its_lease_sends_nothing_twice(
    smtp_server, make_session, attendee_details, settings
):
    """A slow mail server makes a batch outlast its lease: another worker takes back the rows
    not yet started and sends them. The first worker must not send them as well."""
    # Arrange
    settings.BYP_EMAIL_CLAIM_LEASE_SECONDS = 0
    session = make_session(capacity=50)
    for i in range(4):
        book_place(session_id=session.pk, attendee=attendee_details(email=f"person{i}@faults.example"))
    send_messages = EmailBackend.send_messages
    other_worker_ran = []

    def slow_send(backend, messages):
        # While the first email is on its way, the lease runs out and another worker runs.
        if not other_worker_ran:
            other_worker_ran.append(None)
            other_worker_ran[0] = delivery.deliver_due(now=timezone.now() + timedelta(seconds=1))
        return send_messages(backend, messages)

    # Act
    with mock.patch.object(EmailBackend, "send_messages", slow_send):
        first_worker = delivery.deliver_due()

    # Assert: the other worker sent the three it took back; the first worker sent only its first
    assert [(run["sent"], run["retrying"], run["failed"]) for run in other_worker_ran] == [(3, 0, 0)]
    assert first_worker["sent"] == 1
    per_recipient = Counter(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos)
    assert per_recipient == Counter(f"person{i}@faults.example" for i in range(4))
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


# --- Real worker processes --------------------------------------------------------------------------


def test_worker_killed_mid_run_resumes_and_sends_nothing_twice(
    transactional_db, slow_smtp_server, make_session, tmp_path
):
    # Arrange: a thousand emails waiting and one delivery run asked for
    queue_emails(make_session(capacity=1000), 1000)
    deliver_outbox.enqueue()
    first = second = None

    def arrived() -> int:
        return len(slow_smtp_server.handler.envelopes)

    try:
        first = WorkerProcess(smtp_port=slow_smtp_server.port, log_dir=tmp_path, name="first-worker")
        assert wait_while_progressing(lambda: arrived() >= 300, arrived), describe(slow_smtp_server, first)

        # Act: kill it in the middle, wait out the lease, start another and ask for a run,
        # as the periodic work does every minute
        first.kill()
        received_when_killed = arrived()
        assert first.process.returncode == -signal.SIGKILL
        time.sleep(LEASE_SECONDS + 1)
        deliver_outbox.enqueue()
        second = WorkerProcess(smtp_port=slow_smtp_server.port, log_dir=tmp_path, name="second-worker")
        finished = wait_while_progressing(lambda: unfinished_emails() == 0, arrived)
        assert finished, describe(slow_smtp_server, first, second)
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()

    # Assert: the kill landed mid-run, and the second worker finished the rest
    assert received_when_killed < 1000
    received = message_ids(slow_smtp_server)
    repeated = {message_id: n for message_id, n in received.items() if n > 1}
    assert repeated == {}, f"sent more than once: {repeated}"
    sent = {message_id_of(e) for e in Email.objects.filter(status=Email.Status.SENT)}
    failed = list(Email.objects.filter(status=Email.Status.FAILED))
    assert len(failed) <= 1, [(e.pk, e.last_error) for e in failed]
    for in_doubt in failed:
        assert "may or may not have arrived" in in_doubt.last_error
    in_doubt_arrived = {message_id_of(e) for e in failed} & set(received)
    assert len(sent) + len(failed) == 1000
    assert set(received) == sent | in_doubt_arrived
    assert len(received) == len(sent) + len(in_doubt_arrived)


def test_two_workers_at_once_run_each_task_once_and_send_each_email_once(
    transactional_db, slow_smtp_server, make_session, tmp_path
):
    # Arrange: two workers on the same queues, ready before there is any work
    queue_emails(make_session(capacity=500), 500)
    workers = []
    try:
        for name in ("worker-a", "worker-b"):
            workers.append(WorkerProcess(smtp_port=slow_smtp_server.port, log_dir=tmp_path, name=name))
        for worker in workers:
            worker.wait_until_started()

        # Act: several delivery runs asked for at once, as bookings and retries do
        for _run in range(6):
            deliver_outbox.enqueue()
        runs = DBTaskResult.objects.filter(task_path=deliver_outbox.module_path)
        finished = wait_while_progressing(
            lambda: unfinished_emails() == 0 and not runs.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists(),
            lambda: (len(slow_smtp_server.handler.envelopes), runs.filter(status="SUCCESSFUL").count()),
        )
        assert finished, describe(slow_smtp_server, *workers)
    finally:
        for worker in workers:
            worker.stop()

    # Assert: every email arrived exactly once, and every run ran once, on one worker
    received = message_ids(slow_smtp_server)
    assert len(received) == 500
    assert set(received.values()) == {1}
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    # (a run that finds a full batch asks for one more, so there may be more than the six)
    assert runs.count() >= 6
    assert {(run.status, len(run.worker_ids)) for run in runs} == {("SUCCESSFUL", 1)}
    # Both workers were sending at the same time: the emails were shared between them
    senders = {run.worker_ids[0] for run in runs if run.return_value["sent"]}
    assert senders == {"worker-a", "worker-b"}, [(run.worker_ids, run.return_value) for run in runs]
    assert sum(run.return_value["sent"] for run in runs) == 500
