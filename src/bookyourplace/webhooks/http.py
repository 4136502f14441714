"""One POST to an endpoint, and what came back.

Plain http.client, because it does what a webhook needs and nothing more: it never follows a
redirect (a 3xx is an answer, and not a delivery), it connects to the addresses
destinations.py checked rather than looking the name up again, and it reads only the start
of what the endpoint answers. The whole attempt has ``timeout`` seconds: each step (connect,
send, wait for the answer, read its start) gets what is left of them.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.webhooks.destinations import Destination, resolve
from bookyourplace.webhooks.errors import UnsafeDestination

EXCERPT_CHARACTERS = 300
USER_AGENT = "BookYourPlace-Webhooks/1.0"


@dataclass(frozen=True)
class Answer:
    """What one attempt came to: the endpoint's HTTP status and the start of its answer, or
    (no answer at all) ``error`` saying why."""

    status: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def reached(self) -> bool:
        """Did the endpoint answer at all? (A refusal or a timeout did not.)"""
        return self.status is not None


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    try:
        destination = resolve(url)
    except UnsafeDestination as refusal:
        return Answer(error=str(refusal.message))
    deadline = time.monotonic() + timeout
    connection = _connection(destination, timeout)
    try:
        connection.request(
            "POST",
            destination.target,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        _time_left(connection, deadline)
        response = connection.getresponse()
        _time_left(connection, deadline)
        start = response.read(EXCERPT_CHARACTERS * 4)
    except TimeoutError:
        seconds = {"seconds": f"{timeout:g}"}
        return Answer(
            error=ngettext(
                "No answer within %(seconds)s second", "No answer within %(seconds)s seconds", 1 if timeout == 1 else 2
            )
            % seconds
        )
    except ConnectionRefusedError:
        return Answer(error=_("The connection was refused: nothing is listening at that address"))
    except ssl.SSLCertVerificationError as exc:
        return Answer(error=_("The server's certificate could not be trusted: %(reason)s") % {"reason": exc.reason})
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Answer(error=_("Could not reach the endpoint: %(error)s") % {"error": _describe(exc)})
    finally:
        connection.close()
    excerpt = start.decode("utf-8", errors="replace")[:EXCERPT_CHARACTERS]
    error = ""
    if 300 <= response.status < 400:
        error = _("Redirects are not followed: change the endpoint's URL to the address it sends you to")
    return Answer(status=response.status, excerpt=excerpt, error=error)


def _connection(destination: Destination, timeout: float) -> http.client.HTTPConnection:
    if destination.is_https:
        connection = http.client.HTTPSConnection(
            destination.host, destination.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(destination.host, destination.port, timeout=timeout)
    # Connect to the addresses that were checked; TLS still checks the certificate is the host's.
    connection._create_connection = _connect_to(destination.addresses)
    return connection


def _connect_to(addresses):
    def create_connection(_address, timeout, source_address=None, *args, **kwargs):
        failure: OSError = OSError("no address to connect to")
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                failure = exc
        raise failure

    return create_connection


def _time_left(connection, deadline: float) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _describe(exc: Exception) -> str:
    return (str(exc) or type(exc).__name__)[:300]
