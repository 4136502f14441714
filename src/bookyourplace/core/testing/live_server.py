"""A live server of the tests' own that takes a rush of connections, and the booking form
posted to it over plain HTTP, as many people pressing "Book" at once do.

The ``booking_server`` fixture is made available to every test by src/conftest.py.
"""

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from bookyourplace.core.testing import booking_form_data

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_TIMEOUT_SECONDS = 60


class RushWSGIServer(ThreadedWSGIServer):
    # The listen() backlog. Django's default (10) makes the kernel reset some of 200
    # connections that arrive together, which would test the socket, not the booking rules.
    request_queue_size = 512


class RushLiveServerThread(LiveServerThread):
    server_class = RushWSGIServer


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int


@pytest.fixture
def booking_server(transactional_db, settings):
    """This test's own live server (pytest-django's live_server is session-scoped, with a small backlog)."""
    settings.ALLOWED_HOSTS = [HOST]
    thread = RushLiveServerThread(HOST, static_handler=StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield LiveServer(HOST, thread.port)
    thread.terminate()


def book_form_path(session) -> str:
    return f"/programmes/{session.programme.slug}/sessions/{session.pk}/book/"


def csrf_pair(server: LiveServer, path: str) -> tuple[str, str]:
    """GET the booking form once: the csrftoken cookie and the form's csrfmiddlewaretoken."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode()
        assert response.status == 200, body[:500]
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return cookies["csrftoken"].value, CSRF_INPUT.search(body).group(1)
    finally:
        conn.close()


def booking_form(email: str, form_token: str) -> bytes:
    """The booking form's body as one person in the rush posts it."""
    return urlencode(
        booking_form_data(
            csrfmiddlewaretoken=form_token,
            first_name="Rush",
            last_name=email.split("@")[0],
            email=email,
            organisation="Coventry City Council",
            sector="schools",
            job_title="Designated safeguarding lead",
        )
    ).encode()
