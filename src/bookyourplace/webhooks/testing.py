"""A real HTTP receiver on loopback for the tests of webhooks, and an endpoint pointing at it.

``webhook_receiver`` (made available to every test by src/conftest.py) starts one on a port of
its own, lets the worker send to loopback (BYP_WEBHOOKS_ALLOW_PRIVATE, as production never
does) and shortens the timeout to a second. Tell it how to answer the next requests with
``answer_with(500, SLOW, 204)``; afterwards it answers 200.
"""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bookyourplace.privacy.services import SYSTEM
from bookyourplace.webhooks import endpoints, events
from bookyourplace.webhooks.models import Endpoint

# An answer that comes after the worker has stopped waiting (the fixture's timeout is 1 s).
SLOW = "slow"
TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every POST and answers as it is told."""

    def __init__(self):
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._answers: list = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                answer = receiver._next_answer()
                with receiver._lock:
                    receiver._received.append(received)
                if answer == SLOW:
                    time.sleep(TIMEOUT_SECONDS * 2)
                    answer = 200
                reply = json.dumps({"answer": answer, "note": "from the test receiver"}).encode()
                self.send_response(answer)
                if 300 <= answer < 400:
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/moved")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request, client_address):
                pass  # the worker hung up on a slow answer: expected

        self._make_server = lambda port: Server(("127.0.0.1", port), Handler)
        self.server = self._make_server(0)
        self.port = self.server.server_address[1]
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/bookyourplace"

    def answer_with(self, *answers) -> None:
        """The answers (HTTP status codes, or SLOW) to the next requests, in order."""
        with self._lock:
            self._answers.extend(answers)

    def _next_answer(self):
        with self._lock:
            return self._answers.pop(0) if self._answers else 200

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def types(self) -> list[str]:
        return [request.json["type"] for request in self.received]

    def start(self) -> None:
        """Listen (again, on the same port, after ``stop``)."""
        if self.server is None:
            self.server = self._make_server(self.port)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: a connection to the port is then refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def webhook_receiver(settings):
    settings.BYP_WEBHOOKS_ALLOW_PRIVATE = True
    settings.BYP_WEBHOOK_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


def add_endpoint(organiser, url: str, *, subscribed=tuple(events.EVENTS), is_active: bool = True) -> Endpoint:
    """An endpoint of ``organiser`` at ``url``, added through the one rule that adds them."""
    return endpoints.add_endpoint(
        organiser=organiser,
        url=url,
        description="Learning records",
        subscribed=subscribed,
        is_active=is_active,
        actor=SYSTEM,
    )
