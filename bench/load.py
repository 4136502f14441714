"""Load generators over loopback: wrk for page reads, Python threads for form posts.

Every loop here is bounded twice, by a number of requests and by a deadline, and stops by
itself. Requests carry ``X-Forwarded-Proto: https``, as the reverse proxy in front of a
production service sends them (the service runs with BEHIND_PROXY=1 and every HTTPS setting on).
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_TIMEOUT = 60


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# --- wrk -----------------------------------------------------------------------------------------


@dataclass
class PageLoad:
    url: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int  # non-2xx/3xx responses and socket errors
    tool: str = "wrk"

    def as_dict(self) -> dict:
        return self.__dict__.copy()


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS_MS[unit]


def wrk(port: int, path: str, *, seconds: int, connections: int = 16, threads: int = 2) -> PageLoad:
    """Run wrk against a page for a fixed time; requests/s, p50, p99 and errors."""
    url = f"http://{HOST}:{port}{path}"
    if shutil.which("wrk") is None:
        return python_get_load(port, path, seconds=seconds, connections=connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    requests = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", out).group(1))
    elapsed = re.search(r"\d+ requests in ([\d.]+\w+)", out).group(1)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+[a-z]+)\s*$", out, re.M))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(n) for n in m.groups())
    return PageLoad(
        url=path,
        requests=requests,
        seconds=_ms(elapsed) / 1000,
        rps=rps,
        p50_ms=_ms(latency["50"]) if "50" in latency else None,
        p99_ms=_ms(latency["99"]) if "99" in latency else None,
        errors=errors,
    )


def python_get_load(port: int, path: str, *, seconds: int, connections: int, max_requests: int = 200_000) -> PageLoad:
    """The same measurement with Python threads, for machines without wrk."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline and next(counter) < max_requests:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=PROXY_HEADERS)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                errors[0] += not ok
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT)
    elapsed = time.monotonic() - started
    return PageLoad(
        path,
        len(latencies),
        elapsed,
        len(latencies) / elapsed,
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        errors[0],
        tool="python",
    )


# --- A browser-like client -----------------------------------------------------------------------


class Client:
    """One visitor: keeps cookies, sends what a browser behind the proxy would."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(PROXY_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None, keep_cookies: bool = True
    ) -> http.client.HTTPResponse:
        """The response, not yet read. Reconnects once if keep-alive was closed."""
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=self._headers(headers))
                response = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
                if attempt == 2:
                    raise
        if keep_cookies:
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response

    def get(self, path: str) -> tuple[int, str]:
        response = self.request("GET", path)
        return response.status, response.read().decode()

    def csrf_token(self, path: str) -> str:
        status, body = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]}")
        return CSRF_INPUT.search(body).group(1)

    def post_form(self, path: str, fields: dict, keep_cookies: bool = True) -> http.client.HTTPResponse:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + path,
        }
        return self.request("POST", path, urlencode(fields).encode(), headers, keep_cookies=keep_cookies)

    def sign_in(self, email: str, password: str) -> None:
        path = "/backoffice/sign-in/"
        token = self.csrf_token(path)
        response = self.post_form(path, {"csrfmiddlewaretoken": token, "username": email, "password": password})
        response.read()
        if response.status != 302:
            raise RuntimeError(f"Sign-in answered {response.status}")

    def close(self) -> None:
        self.conn.close()


def booking_fields(email: str, token: str) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "first_name": "Bench",
        "last_name": email.split("@")[0],
        "email": email,
        "organisation": "Coventry City Council",
        "sector": "schools",
        "job_title": "Designated safeguarding lead",
        "access_needs": "",
        "line_manager_email": "",
        "consent": "yes",
    }


# --- Many form posts -----------------------------------------------------------------------------


@dataclass
class PostLoad:
    attempts: int = 0
    booked: int = 0
    refused: int = 0  # 409: fully booked (or the baseline's "full")
    server_errors: int = 0  # 5xx
    other: int = 0  # anything else: 4xx, resets, timeouts
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.booked / self.seconds if self.seconds else 0.0

    def record(self, status: int | None, latency_ms: float, booked: bool, note: str = "") -> None:
        self.attempts += 1
        self.latencies_ms.append(latency_ms)
        if booked:
            self.booked += 1
        elif status == 409:
            self.refused += 1
        elif status is not None and status >= 500:
            self.server_errors += 1
        else:
            self.other += 1
        if not booked and status != 409 and len(self.samples) < 5:
            self.samples.append(f"{status}: {note[:200]}")

    @classmethod
    def combine(cls, parts: list[PostLoad]) -> PostLoad:
        total = cls()
        for part in parts:
            total.attempts += part.attempts
            total.booked += part.booked
            total.refused += part.refused
            total.server_errors += part.server_errors
            total.other += part.other
            total.seconds += part.seconds
            total.latencies_ms += part.latencies_ms
            total.samples += part.samples[: max(0, 5 - len(total.samples))]
        return total

    def as_dict(self) -> dict:
        return {
            "attempts": self.attempts,
            "booked": self.booked,
            "refused": self.refused,
            "server_errors": self.server_errors,
            "other_errors": self.other,
            "seconds": round(self.seconds, 3),
            "bookings_per_second": round(self.per_second, 1),
            "p50_ms": percentile(self.latencies_ms, 0.5),
            "p99_ms": percentile(self.latencies_ms, 0.99),
            "samples": self.samples,
        }


def _is_booked(status: int, location: str) -> bool:
    return status == 302 and location.rstrip("/").endswith(("confirmed", "booked"))


def booking_load(
    port: int, path: str, *, form_path: str, clients: int, max_posts: int, seconds: float, email_prefix: str
) -> PostLoad:
    """`clients` visitors post the booking form over and over (each post a new email and a new
    visitor's session), until `max_posts` in all or the deadline."""
    result = PostLoad()
    lock = threading.Lock()
    counter = itertools.count()
    token_client = Client(port)
    token = token_client.csrf_token(form_path)
    csrf_cookie = token_client.cookies["csrftoken"]
    token_client.close()
    start_gate = threading.Barrier(clients, timeout=30)
    deadline: list[float] = [0.0]

    def visitor() -> None:
        client = Client(port)
        start_gate.wait()
        while time.monotonic() < deadline[0]:
            number = next(counter)
            if number >= max_posts:
                break
            client.cookies = {"csrftoken": csrf_cookie}  # a new visitor each time: no session cookie
            email = f"{email_prefix}{number:06d}@bench.example"
            begun = time.perf_counter()
            try:
                response = client.post_form(path, booking_fields(email, token), keep_cookies=False)
                body = response.read().decode(errors="replace")
                status, location = response.status, response.getheader("Location", "")
            except (OSError, http.client.HTTPException) as exc:
                status, location, body = None, "", repr(exc)
                client.close()
                client = Client(port)
            latency = (time.perf_counter() - begun) * 1000
            with lock:
                result.record(status, latency, _is_booked(status or 0, location), body)
        client.close()

    threads = [threading.Thread(target=visitor) for _ in range(clients)]
    began = time.monotonic()
    deadline[0] = began + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 30)
    result.seconds = time.monotonic() - began
    return result


def rush(port: int, path: str, *, form_path: str, attempts: int, email_prefix: str, timeout: float = 120) -> PostLoad:
    """`attempts` people press "Book" at the same moment, each on a connection of their own.

    One asyncio loop sends them all (raw HTTP/1.1 over asyncio streams): 1,000 Python threads
    cost this two-core machine a second of CPU in the rush, time taken from the service
    under test, where the people of a real rush are on machines of their own."""
    token_client = Client(port)
    token = token_client.csrf_token(form_path)
    csrf_cookie = token_client.cookies["csrftoken"]
    token_client.close()
    return asyncio.run(_rush(port, path, token, csrf_cookie, attempts, email_prefix, timeout))


async def _rush(
    port: int, path: str, token: str, csrf_cookie: str, attempts: int, email_prefix: str, timeout: float
) -> PostLoad:
    result = PostLoad()
    origin = f"https://{HOST}:{port}"
    release = asyncio.Event()

    def request(number: int) -> bytes:
        body = urlencode(booking_fields(f"{email_prefix}{number:05d}@rush.example", token)).encode()
        head = "".join(
            f"{name}: {value}\r\n"
            for name, value in {
                "Host": f"{HOST}:{port}",
                **PROXY_HEADERS,
                "Cookie": f"csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Content-Length": str(len(body)),
                "Origin": origin,
                "Referer": origin + path,
                "Connection": "close",
            }.items()
        )
        return f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body

    async def person(number: int) -> None:
        message = request(number)
        await release.wait()
        begun = time.perf_counter()
        status, location, note = None, "", ""
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(message)
                await writer.drain()
                answer = await reader.read()  # "Connection: close": the whole answer
                writer.close()
            head, _, body = answer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "location":
                    location = value.strip()
            note = body.decode(errors="replace")
        except (OSError, TimeoutError, ValueError, IndexError) as exc:
            note = repr(exc)
        result.record(status, (time.perf_counter() - begun) * 1000, _is_booked(status or 0, location), note)

    people = [asyncio.create_task(person(n)) for n in range(attempts)]
    await asyncio.sleep(0)  # every person ready, waiting for the moment
    began = time.monotonic()
    release.set()
    await asyncio.gather(*people)
    result.seconds = time.monotonic() - began
    return result
