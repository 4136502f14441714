"""The service under test, as production runs it, and the things around it.

- ``Service`` starts ``scripts/serve.sh`` (migrations, collectstatic, gunicorn with
  production settings and the worker) in its own process group and stops exactly that group.
- ``SmtpSink`` is a real SMTP server on loopback (aiosmtpd) that counts what it receives.
- ``process_tree`` and ``rss`` read /proc to find the gunicorn workers and their memory.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- /proc -------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children(current)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def status_kb(pid: int, field: str) -> int | None:
    """A memory figure from /proc/<pid>/status (VmRSS, VmHWM), in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RssSampler:
    """Samples the RSS of some processes every few milliseconds, in a thread, until stopped."""

    def __init__(self, pids: list[int], every: float = 0.02):
        self.pids, self.every = pids, every
        self.peak = {pid: status_kb(pid, "VmRSS") or 0 for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], status_kb(pid, "VmRSS") or 0)
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# --- The service -------------------------------------------------------------------------------


class Service:
    """scripts/serve.sh with the given environment, logging to a file."""

    def __init__(self, env: dict, port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> float:
        started = time.monotonic()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            ["scripts/serve.sh"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends exactly this group
        )
        log.close()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The service stopped while starting; see {self.log_path}")
            if self._answers():
                return time.monotonic() - started
            time.sleep(0.25)
        raise RuntimeError(f"The service did not answer within {timeout:.0f} s; see {self.log_path}")

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def gunicorn_workers(self) -> list[int]:
        """The gunicorn worker processes (children of the gunicorn master)."""
        if self.process is None:
            return []
        tree = process_tree(self.process.pid)
        masters = [p for p in tree if "gunicorn" in cmdline(p) and "gunicorn" not in cmdline(_parent(p))]
        return [kid for master in masters for kid in _children(master)]

    def task_workers(self) -> list[int]:
        if self.process is None:
            return []
        return [p for p in process_tree(self.process.pid) if "db_worker" in cmdline(p)]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = self.process.pid  # the group we created with start_new_session
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        # serve.sh's trap has ended gunicorn and the worker; make sure nothing of the group is left.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self.process = None


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


# --- SMTP --------------------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server on loopback that accepts and counts every message (and how many
    each recipient received, in lower case)."""

    def __init__(self):
        self.port = free_port()
        self.count = 0
        self.recipients: set[str] = set()
        self.per_recipient: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            self.count += 1
            self.recipients.update(envelope.rcpt_tos)
            self.per_recipient.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=10)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received_by(self, address: str) -> int:
        with self._lock:
            return self.per_recipient[address.lower()]

    def received_per_recipient(self) -> dict[str, int]:
        with self._lock:
            return dict(self.per_recipient)

    def reset(self) -> None:
        with self._lock:
            self.count = 0
            self.recipients = set()
            self.per_recipient = Counter()
