"""A small round-robin load balancer for the scale-out run (bench/scale_out.py).

Each request that arrives goes to the next web server in turn. It speaks just enough
HTTP/1.1 to do what a reverse proxy in front of several servers does: it appends the
address it received the request from to X-Forwarded-For (the servers trust one proxy:
TRUSTED_PROXIES=1), drops the hop-by-hop headers, asks the server to close the connection
after its answer and passes the answer back unchanged (one request per client connection:
the answer says `Connection: close`, as the server wrote it). It counts the requests each
server answered, by status. A server that cannot be reached is answered 502 and counted.

Run on its own (a process of its own, as nginx would be, so that it does not share an
interpreter lock with the load generator):

    python bench/balancer.py --port 8080 --to 127.0.0.1:8001 --to 127.0.0.1:8002

It prints one line, "listening on <port>", once it accepts connections. ``GET
/.balancer/counts`` is answered by the balancer itself (JSON, never forwarded).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections import Counter

COUNTS_PATH = b"/.balancer/counts"
# Hop-by-hop headers (RFC 9110, 7.6.1): a proxy does not forward them.
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade"}
HEAD_LIMIT = 64 * 1024
TIMEOUT = 120  # seconds for a whole exchange


class Balancer:
    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = backends
        self.next = 0
        self.answered: dict[str, Counter] = {self.name(b): Counter() for b in backends}
        self.unreachable: Counter = Counter()
        self.bad_requests = 0
        self.server: asyncio.Server | None = None

    @staticmethod
    def name(backend: tuple[str, int]) -> str:
        return f"{backend[0]}:{backend[1]}"

    def counts(self) -> dict:
        """Requests each server answered (by status), those it could not be reached for."""
        return {
            "answered": {name: sum(by_status.values()) for name, by_status in self.answered.items()},
            "by_status": {name: {str(k): v for k, v in sorted(c.items())} for name, c in self.answered.items()},
            "unreachable": dict(self.unreachable),
            "bad_requests": self.bad_requests,
        }

    async def start(self, host: str, port: int) -> int:
        # A rush opens a thousand connections at once: a backlog of 100 (asyncio's default)
        # would drop most of them for a second or more.
        self.server = await asyncio.start_server(self.handle, host, port, backlog=4096, limit=HEAD_LIMIT)
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop accepting; wait for the exchanges under way to end."""
        self.server.close()
        await self.server.wait_closed()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(TIMEOUT):
                await self._exchange(reader, writer)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return  # the client went away without a request
        request_line, *lines = head[:-4].split(b"\r\n")
        method, target, _version = request_line.split(b" ", 2)
        if method == b"GET" and target == COUNTS_PATH:
            await _answer(writer, 200, json.dumps(self.counts()).encode(), b"application/json")
            return
        headers, forwarded_for, length = [], b"", 0
        for line in lines:
            name, _, value = line.partition(b":")
            key, value = name.strip().lower(), value.strip()
            if key in HOP_BY_HOP:
                continue
            if key == b"x-forwarded-for":
                forwarded_for = forwarded_for + b", " + value if forwarded_for else value
                continue
            if key == b"transfer-encoding":
                # A chunked request body is not needed here: say so rather than guess.
                self.bad_requests += 1
                await _answer(writer, 411, b"Length Required\n", b"text/plain")
                return
            if key == b"content-length":
                length = int(value)
            headers.append(line)
        peer = (writer.get_extra_info("peername") or ("unknown",))[0].encode()
        headers.append(b"X-Forwarded-For: " + (forwarded_for + b", " + peer if forwarded_for else peer))
        headers.append(b"Connection: close")
        body = await reader.readexactly(length) if length else b""
        backend = self.backends[self.next]
        self.next = (self.next + 1) % len(self.backends)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*backend, limit=HEAD_LIMIT)
        except OSError:
            self.unreachable[self.name(backend)] += 1
            await _answer(writer, 502, b"Bad Gateway\n", b"text/plain")
            return
        try:
            upstream_writer.write(b"\r\n".join([request_line, *headers]) + b"\r\n\r\n" + body)
            await upstream_writer.drain()
            status_line = await upstream_reader.readline()
            status = int(status_line.split(b" ", 2)[1])
            writer.write(status_line)
            while chunk := await upstream_reader.read(65536):
                writer.write(chunk)
                await writer.drain()
            self.answered[self.name(backend)][status] += 1
        except (ValueError, IndexError):
            self.unreachable[self.name(backend)] += 1
        finally:
            upstream_writer.close()


async def _answer(writer: asyncio.StreamWriter, status: int, body: bytes, content_type: bytes) -> None:
    reason = {200: b"OK", 411: b"Length Required", 502: b"Bad Gateway"}[status]
    writer.write(
        b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
        % (status, reason, content_type, len(body))
        + body
    )
    await writer.drain()


def parse_backend(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


async def main(host: str, port: int, backends: list[tuple[str, int]]) -> None:
    balancer = Balancer(backends)
    bound = await balancer.start(host, port)
    print(f"listening on {bound}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await balancer.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--to", action="append", required=True, type=parse_backend, help="host:port of a web server")
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port, args.to))
    sys.exit(0)
