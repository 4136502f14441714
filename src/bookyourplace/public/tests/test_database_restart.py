"""PostgreSQL restarted while people are booking.

While the database restarts, a person booking sees the "Sorry, the service is unavailable"
page (503), never a stack trace or a bare 500; the service comes back by itself; and
everyone who was told their place is confirmed has it.

The first tests raise what psycopg raises (on both databases); the last ones restart the
PostgreSQL server that holds the test database, so they are marked ``restarts_database``:
`make test` runs them last and alone (scripts/test-postgres.sh), so they never pull the
database from under another test.
"""

import http.client
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from psycopg_pool import PoolTimeout

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import unavailable
from bookyourplace.core.testing.live_server import LiveServer, book_form_path, booking_form, csrf_pair

HOST = "127.0.0.1"
LOAD_SECONDS = 20  # people keep booking for this long...
RESTART_AFTER_SECONDS = 5  # ...and the database restarts this far in
THREADS = 8
REQUEST_TIMEOUT_SECONDS = 60
DATABASE_BACK_SECONDS = 60
UNAVAILABLE = "Sorry, the service is unavailable"


# --- What psycopg raises while the database is away (Django wraps each in its own class) -------------

# The texts psycopg gives, seen while restarting a real server.
LOST_CONNECTIONS = {
    "cut mid-request": OperationalError("terminating connection due to administrator command"),
    "cut while idle": OperationalError("consuming input failed: server closed the connection unexpectedly"),
    "used after the cut": OperationalError("the connection is closed"),
    "connecting while it restarts": OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "FATAL:  the database system is shutting down"
    ),
    "no connection free in the pool": OperationalError(*PoolTimeout("couldn't get a connection after 30.00 sec").args),
    "interface gone": InterfaceError("connection already closed"),
}


def raises(exception):
    def raise_it(*args, **kwargs):
        raise exception

    return raise_it


@pytest.fixture
def browser_client():
    """A client that shows the page a browser would get, instead of raising the error."""
    return Client(raise_request_exception=False)


def assert_unavailable_page(response) -> None:
    body = response.content.decode()
    assert response.status_code == 503
    assert UNAVAILABLE in body
    assert response["Retry-After"] == "5"
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("error", LOST_CONNECTIONS.values(), ids=LOST_CONNECTIONS.keys())
def test_database_unavailable_in_a_view_shows_the_503_page(browser_client, session, monkeypatch, error):
    # Arrange
    monkeypatch.setattr("bookyourplace.public.views._published_session", raises(error))

    # Act
    response = browser_client.get(book_form_path(session))

    # Assert
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_database_unavailable_for_a_returning_visitor_shows_the_503_page(browser_client, session, monkeypatch):
    """An organiser (anyone with a session cookie): the error page must not look them up."""
    # Arrange
    error = LOST_CONNECTIONS["cut while idle"]
    monkeypatch.setattr("bookyourplace.public.views._published_session", raises(error))
    monkeypatch.setattr(SessionStore, "load", raises(error))
    browser_client.cookies["sessionid"] = "a" * 32

    # Act
    response = browser_client.get(book_form_path(session))

    # Assert
    assert_unavailable_page(response)


class LoseTheDatabaseAfterTheView:
    """A middleware that goes to the database after the view, as saving a session does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise LOST_CONNECTIONS["cut mid-request"]


@pytest.mark.django_db
def test_database_lost_outside_a_view_shows_503_not_500(browser_client, session, settings):
    # Arrange: the view has answered; then the connection goes in a middleware
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:2],
        f"{__name__}.LoseTheDatabaseAfterTheView",
        *settings.MIDDLEWARE[2:],
    ]

    # Act
    response = browser_client.get(book_form_path(session))

    # Assert
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_other_database_errors_still_show_the_500_page(browser_client, session, monkeypatch):
    # Arrange: a broken query is a fault to fix, not a database to wait for
    monkeypatch.setattr(
        "bookyourplace.public.views._published_session",
        raises(OperationalError("no such column: programmes_session.colour")),
    )

    # Act
    response = browser_client.get(book_form_path(session))

    # Assert
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


# --- The real thing: PostgreSQL restarted while people book ------------------------------------------


@dataclass(frozen=True)
class Response:
    email: str
    sent_at: float
    status: int | None  # None: no HTTP response at all
    location: str
    body: str

    @property
    def booked(self) -> bool:
        return self.status == 302 and self.location.endswith("/book/confirmed/")

    @property
    def unavailable(self) -> bool:
        return self.status == 503 and UNAVAILABLE in self.body


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str

    def restart(self) -> None:
        # Fast shutdown: every open connection is cut, as in a real restart or failover.
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "restart"],
            check=True,
            timeout=DATABASE_BACK_SECONDS,
            capture_output=True,
        )


def cluster_serving_the_tests() -> Cluster:
    """The Debian cluster behind the test database ("15/main"), which this test may restart."""
    problem = None
    if shutil.which("pg_ctlcluster") is None:
        problem = "pg_ctlcluster is not installed (Debian's postgresql-common)"
    elif os.geteuid() != 0:
        problem = "restarting PostgreSQL with pg_ctlcluster needs root"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW cluster_name")
            version, _, name = cursor.fetchone()[0].partition("/")
        if not (version and name):
            problem = "the PostgreSQL server has no Debian cluster name"
    connection.close()  # the restart will cut this connection: take a fresh one afterwards
    if problem:
        unavailable(problem)
    return Cluster(version, name)


def wait_until_database_accepts_connections() -> float:
    db = connection.settings_dict
    deadline = time.monotonic() + DATABASE_BACK_SECONDS
    while True:
        try:
            psycopg.connect(
                host=db["HOST"] or "localhost",
                port=db["PORT"] or 5432,
                user=db["USER"],
                password=db["PASSWORD"] or None,
                dbname=db["NAME"],
                connect_timeout=2,
            ).close()
            return time.monotonic()
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def postgresql_cluster(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: it restarts the PostgreSQL server (SQLite is a file: there is nothing to restart)"
        )
    cluster = cluster_serving_the_tests()
    yield cluster
    # Whatever happened, leave the server up for the tests that follow.
    wait_until_database_accepts_connections()
    connection.close()


def post_booking(server: LiveServer, path: str, csrf: tuple[str, str], email: str) -> Response:
    cookie_token, form_token = csrf
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie_token}",
        "Connection": "close",
    }
    sent_at = time.monotonic()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        conn.request("POST", path, body=booking_form(email, form_token), headers=headers)
        response = conn.getresponse()
        return Response(email, sent_at, response.status, response.getheader("Location", ""), response.read().decode())
    except (OSError, http.client.HTTPException) as exc:  # a reset or a timeout: no answer at all
        return Response(email, sent_at, None, "", repr(exc))
    finally:
        conn.close()


def keep_booking(server: LiveServer, path: str, csrf: tuple[str, str], until: float) -> list[Response]:
    """THREADS people booking one after another, each with a new email, until ``until``."""
    responses: list[Response] = []
    lock = threading.Lock()

    def person(thread_number: int) -> None:
        n = 0
        while time.monotonic() < until:
            response = post_booking(server, path, csrf, f"t{thread_number}-{n:04d}@restart.example")
            with lock:
                responses.append(response)
            n += 1

    threads = [threading.Thread(target=person, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + REQUEST_TIMEOUT_SECONDS + 10)
    assert all(not thread.is_alive() for thread in threads), "a booking request never finished"
    return responses


def describe(responses: list[Response]) -> str:
    return "\n".join(f"{r.status} {r.location} {' '.join(r.body.split())[:300]}" for r in responses[:5])


@pytest.mark.restarts_database
def test_postgresql_restart_during_bookings_shows_503_recovers_and_loses_no_booking(
    postgresql_cluster, booking_server, make_session
):
    # Arrange: a session with room for everyone
    session = make_session(capacity=100_000)
    path = book_form_path(session)
    csrf = csrf_pair(booking_server, path)
    start = time.monotonic()
    restart: dict[str, float] = {}

    def restart_the_database() -> None:
        time.sleep(RESTART_AFTER_SECONDS)
        restart["began"] = time.monotonic()
        postgresql_cluster.restart()
        restart["back"] = wait_until_database_accepts_connections()

    restarter = threading.Thread(target=restart_the_database)

    # Act: people keep booking while PostgreSQL restarts
    restarter.start()
    responses = keep_booking(booking_server, path, csrf, until=start + LOAD_SECONDS)
    restarter.join(timeout=DATABASE_BACK_SECONDS * 2)
    assert "back" in restart, "PostgreSQL did not come back"
    connection.close()  # this thread's connection was cut by the restart

    # Assert: every answer was a booking or the 503 page; never a stack trace or a 500
    booked = [r for r in responses if r.booked]
    unavailable = [r for r in responses if r.unavailable]
    other = [r for r in responses if not (r.booked or r.unavailable)]
    assert other == [], f"{len(other)} unexpected answers:\n{describe(other)}"
    assert all("Traceback" not in r.body for r in responses)
    assert unavailable, f"no 503 during the restart ({len(booked)} bookings answered)"
    assert all(r.sent_at < restart["back"] for r in unavailable)
    # The service came back by itself: bookings made after the restart succeeded
    assert [r for r in booked if r.sent_at > restart["back"]], "no booking succeeded after the restart"
    assert [r for r in booked if r.sent_at < restart["began"]], "no booking succeeded before the restart"
    # Everyone told their place is confirmed has it
    confirmed = set(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).values_list("email", flat=True)
    )
    assert {r.email for r in booked} <= confirmed


@pytest.mark.restarts_database
def test_postgresql_restart_while_quiet_next_visitors_get_pages_at_once(
    postgresql_cluster, booking_server, make_session
):
    """The connections waiting in the pool died with the restart: none may reach a visitor,
    and finding them must not keep the next visitor waiting."""
    # Arrange: a busy moment leaves several connections waiting in the pool, then all is quiet
    session = make_session()
    path = book_form_path(session)
    visitors = [threading.Thread(target=csrf_pair, args=(booking_server, path)) for _ in range(2 * THREADS)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(timeout=REQUEST_TIMEOUT_SECONDS)
    idle_connections = connection.pool.get_stats()["pool_available"]
    assert idle_connections >= 3

    # Act
    postgresql_cluster.restart()
    wait_until_database_accepts_connections()
    visits = []
    for _visit in range(5):
        began = time.monotonic()
        conn = http.client.HTTPConnection(booking_server.host, booking_server.port, timeout=REQUEST_TIMEOUT_SECONDS)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        visits.append((status, time.monotonic() - began < 5))

    # Assert: each page came, each within a few seconds
    assert visits == [(200, True)] * 5, f"{idle_connections} connections were idle at the restart"
