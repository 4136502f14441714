"""Secrets stay out of logs: the manage link's token (and a password reset link's) never
appears in a line the service writes, from Django or from gunicorn's access log."""

import http.client
import io
import logging
import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.conf import settings

from bookyourplace.bookings.links import manage_url
from bookyourplace.bookings.services import book_place
from bookyourplace.core.log_masking import MASK, mask_secrets
from bookyourplace.core.testing import ROOT, production_env
from bookyourplace.notifications.delivery import deliver_due

WRONG_TOKEN = "Zx9wrongTokenWrongTokenWrong_-01"  # the shape of a real one (32 characters)


@contextmanager
def service_log():
    """What the handlers settings.LOGGING configured write, while the block runs (their
    streams swapped for a buffer: the handlers, filters and formatters are the real ones)."""
    handlers = [h for h in logging.getLogger().handlers if h.name in settings.LOGGING["handlers"]]
    assert handlers, "settings.LOGGING's handlers are not on the root logger"
    buffer = io.StringIO()
    streams = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def test_every_configured_handler_masks_secrets():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_secrets" in handler.get("filters", []), name


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("Not Found: /booking/AbC_-123/calendar.ics", "Not Found: /booking/[token]/calendar.ics"),
        ('"GET /booking/AbC_-123/ HTTP/1.1" 200', '"GET /booking/[token]/ HTTP/1.1" 200'),
        ("/backoffice/password-reset/MQ/cz1x7-0a1b2c3d/", "/backoffice/password-reset/MQ/[token]/"),
        ("/backoffice/password-reset/MQ/set-password/", "/backoffice/password-reset/MQ/set-password/"),
        ("/backoffice/sign-in/?next=%2Fbooking%2FAbC_-123%2F", "/backoffice/sign-in/?next=%2Fbooking%2F[token]%2F"),
        ("/checkin/?token=AbC_-123&x=1", "/checkin/?token=[token]&x=1"),
    ],
)
def test_mask_secrets_masks_the_secret_and_keeps_the_shape(line, masked):
    assert mask_secrets(line) == masked


@pytest.mark.django_db
def test_django_log_lines_for_wrong_token_wrong_method_and_reset_link_show_no_token(client, session, attendee_details):
    # Arrange: a real booking's link, so a token that works could leak too
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    real_token = manage_url(booking).rstrip("/").rsplit("/", 1)[-1]

    with service_log() as log:
        # Act
        assert client.get(f"/booking/{WRONG_TOKEN}/").status_code == 404  # "Not Found: ..."
        assert client.put(f"/booking/{real_token}/").status_code == 405  # "Method Not Allowed (PUT): ..."
        # (a reset link answers every method with a page; a path under it is "Not Found")
        assert client.get("/backoffice/password-reset/MQ/cz1x7-0a1b2c3d4e5f/more/").status_code == 404
        logging.getLogger("bookyourplace.notifications.delivery").warning("Sent %s", manage_url(booking))

    # Assert
    text = log.getvalue()
    assert f"Not Found: /booking/{MASK}/" in text
    assert f"Method Not Allowed (PUT): /booking/{MASK}/" in text
    assert f"/backoffice/password-reset/MQ/{MASK}/" in text
    assert f"Sent {settings.SITE_URL}/booking/{MASK}/" in text
    for secret in (WRONG_TOKEN, real_token, "cz1x7-0a1b2c3d4e5f"):
        assert secret not in text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path)
        return connection.getresponse().status
    finally:
        connection.close()


# It starts its own service on SQLite whatever the suite's database: once is enough.
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs on SQLite in its own service"
)
def test_make_serve_access_log_shows_manage_urls_masked(tmp_path):
    # Arrange: the production service as `make serve` starts it, on SQLite in a scratch folder
    port = free_port()
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BYP_VAR_DIR=str(tmp_path),
        PORT=str(port),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEB_WORKERS="1",
        WORKER_PROCESSES="1",
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        service = subprocess.Popen(
            ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 300  # a fresh database is migrated first: slow on a busy machine
        while True:
            assert service.poll() is None, log_path.read_text()
            try:
                if request(port, "GET", "/") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.25)

        # Act
        assert request(port, "GET", f"/booking/{WRONG_TOKEN}/") == 404
        assert request(port, "GET", f"/booking/{WRONG_TOKEN}/calendar.ics") == 404
        assert request(port, "PUT", f"/booking/{WRONG_TOKEN}/") == 403  # "Forbidden (CSRF ...)"
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=30)

    # Assert: gunicorn's access lines and Django's warnings, all masked
    text = log_path.read_text()
    assert f'"GET /booking/{MASK}/ HTTP/1.1" 404' in text
    assert f'"GET /booking/{MASK}/calendar.ics HTTP/1.1" 404' in text
    assert f'"PUT /booking/{MASK}/ HTTP/1.1" 403' in text
    assert f"Not Found: /booking/{MASK}/" in text
    assert f"/booking/{MASK}/" in text.split("Forbidden", 1)[1].splitlines()[0]
    assert WRONG_TOKEN not in text


def test_an_email_address_in_a_log_line_is_masked():
    line = mask_secrets("Email 12 (confirmation) failed: {'gone@coventry.gov.uk': (550, b'5.1.1 No such mailbox')}")

    assert "gone@coventry.gov.uk" not in line
    assert "[address]" in line and "No such mailbox" in line


@pytest.mark.django_db
def test_a_refused_recipient_leaves_no_address_in_the_logs(refusing_smtp_server, session, attendee_details):
    """The mail server's refusal quotes the address; the service's log lines do not keep it,
    so there is nothing in the logs for retention or erasure to reach."""
    refusing_smtp_server(address="gone@coventry.gov.uk", reply="550 5.1.1 No such mailbox")
    book_place(session_id=session.pk, attendee=attendee_details("gone@coventry.gov.uk", first_name="Gwen"))

    with service_log() as log:
        deliver_due()

    written = log.getvalue()
    assert "No such mailbox" in written  # the refusal is logged...
    assert "gone@coventry.gov.uk" not in written  # ...without the person's address
