"""The scale-out run's load balancer (bench/balancer.py), against two small web servers on
loopback started here."""

import asyncio
import http.client
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from balancer import Balancer  # noqa: E402


def web_server(name: str) -> ThreadingHTTPServer:
    """A server that answers with its name, the X-Forwarded-For it received and the body."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content = json.dumps(
                {"server": name, "forwarded_for": self.headers.get("X-Forwarded-For"), "body": body.decode()}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = answer  # noqa: N815 (http.server's names)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers():
    started = [web_server("one"), web_server("two")]
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def start_balancer(ports: list[int]):
    """The balancer on its own event loop in a thread; (its port, the loop to stop)."""
    balancer = Balancer([("127.0.0.1", port) for port in ports])
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    port = asyncio.run_coroutine_threadsafe(balancer.start("127.0.0.1", 0), loop).result(timeout=10)
    return port, loop, balancer


@pytest.fixture
def balanced(servers):
    port, loop, balancer = start_balancer([server.server_address[1] for server in servers])
    yield port
    stop(balancer, loop)


def stop(balancer, loop) -> None:
    asyncio.run_coroutine_threadsafe(balancer.stop(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)


def ask(port: int, method: str = "GET", path: str = "/", body: bytes | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_balancer_requests_shared_in_turn(balanced):
    answered_by = [json.loads(ask(balanced, path=f"/page/{n}")[1])["server"] for n in range(10)]

    assert answered_by == ["one", "two"] * 5
    counts = json.loads(ask(balanced, path="/.balancer/counts")[1])
    assert sorted(counts["answered"].values()) == [5, 5]
    assert counts["unreachable"] == {}


def test_balancer_posts_body_and_client_address(balanced):
    status, content = ask(balanced, "POST", "/book/", b"email=sam%40example.org", {"X-Forwarded-For": "203.0.113.9"})

    answer = json.loads(content)
    assert status == 200
    assert answer["body"] == "email=sam%40example.org"
    # The client's own entry kept, the address the balancer received it from appended.
    assert answer["forwarded_for"] == "203.0.113.9, 127.0.0.1"


def test_balancer_server_down_answered_502(servers):
    down = servers[1].server_address[1]
    servers[1].shutdown()
    servers[1].server_close()
    port, loop, balancer = start_balancer([servers[0].server_address[1], down])
    try:
        statuses = [ask(port)[0] for _ in range(4)]
        counts = balancer.counts()
    finally:
        stop(balancer, loop)

    assert statuses == [200, 502, 200, 502]
    assert counts["answered"][f"127.0.0.1:{down}"] == 0
    assert counts["unreachable"] == {f"127.0.0.1:{down}": 2}
