"""A real SMTP server on loopback (aiosmtpd) for the tests of every app that sends email.

The fixtures ``smtp_server``, ``stopped_smtp_server`` and ``refusing_smtp_server`` are made
available to every test by src/conftest.py; each points the ``MAILERS`` setting at its port.
"""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


class CollectingHandler:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class RefusingHandler(CollectingHandler):
    """Keeps what it is given, but answers ``reply`` to RCPT (or DATA) for one address."""

    def __init__(self, *, address: str, reply: str, at: str = "RCPT"):
        super().__init__()
        self.address, self.reply, self.at = address, reply, at

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.at == "RCPT" and address == self.address:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.at == "DATA" and self.address in envelope.rcpt_tos:
            return self.reply
        return await super().handle_DATA(server, session, envelope)


class LoopbackSmtpServer:
    """An SMTP server on 127.0.0.1 and a port of its own, started when asked."""

    def __init__(self, handler: CollectingHandler | None = None):
        self.port = free_port()
        self.handler = handler or CollectingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, server_hostname="smtp.test")
        self.running = False

    def start(self):
        self.controller.start()
        self.running = True

    def stop(self):
        if self.running:
            self.controller.stop()
            self.running = False

    @property
    def envelopes(self):
        return list(self.handler.envelopes)


def free_port() -> int:
    """A loopback port nothing listens on (the OS just handed it out and it was let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)


def delivered_to(server) -> list[str]:
    return [address for envelope in server.envelopes for address in envelope.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    """A running loopback SMTP server that MAILERS points at."""
    server = LoopbackSmtpServer()
    server.start()
    use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server(settings):
    """MAILERS points at a loopback port where no SMTP server runs, until the test starts one there."""
    server = LoopbackSmtpServer()
    use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def refusing_smtp_server(settings):
    """Start a loopback SMTP server whose handler refuses one address."""
    servers = []

    def start(**handler_options):
        server = LoopbackSmtpServer(RefusingHandler(**handler_options))
        server.start()
        use_smtp(settings, server.port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
