"""JSON log lines (LOG_FORMAT=json, core/structured_logs.py) and the request id on every line
of a request and on its response (core/request_id.py)."""

import io
import json
import logging
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings

from bookyourplace.core.structured_logs import JsonFormatter
from bookyourplace.core.testing import ROOT, production_env

TOKEN = "Zx9wrongTokenWrongTokenWrong_-01"


@contextmanager
def json_lines():
    """What the handlers settings.LOGGING configured write while the block runs, with the
    JSON formatter LOG_FORMAT=json gives them (their filters are the real ones)."""
    handlers = [h for h in logging.getLogger().handlers if h.name in settings.LOGGING["handlers"]]
    assert handlers
    buffer = io.StringIO()
    kept = [(handler.setStream(buffer), handler.formatter) for handler in handlers]
    for handler in handlers:
        handler.setFormatter(JsonFormatter())
    lines: list[dict] = []
    try:
        yield lines
    finally:
        for handler, (stream, formatter) in zip(handlers, kept, strict=True):
            handler.setStream(stream)
            handler.setFormatter(formatter)
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines())


@pytest.mark.django_db
def test_each_line_of_a_request_carries_the_id_its_response_says(client):
    with json_lines() as lines:
        first = client.get("/no-such-page/")
        second = client.get("/no-such-page/")
        logging.getLogger("bookyourplace.test").info("Between requests")

    not_found = [line for line in lines if line["message"] == "Not Found: /no-such-page/"]
    assert [line["request_id"] for line in not_found] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert lines[-1]["message"] == "Between requests" and lines[-1]["request_id"] is None
    assert {"time", "level", "logger", "message", "request_id"} <= set(not_found[0])
    assert not_found[0]["level"] == "WARNING" and not_found[0]["logger"] == "django.request"


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_only_behind_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    ignored = client.get("/no-such-page/", HTTP_X_REQUEST_ID="chosen-by-the-client")
    settings.TRUSTED_PROXY_COUNT = 1
    kept = client.get("/no-such-page/", HTTP_X_REQUEST_ID="0f3a9c1e8b7d4a6f9e2c1b0a3d5e7f91")
    replaced = client.get("/no-such-page/", HTTP_X_REQUEST_ID='bad" id\nwith a forged line')

    assert ignored["X-Request-ID"] != "chosen-by-the-client"
    assert kept["X-Request-ID"] == "0f3a9c1e8b7d4a6f9e2c1b0a3d5e7f91"
    assert replaced["X-Request-ID"] != 'bad" id\nwith a forged line'
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_cached_public_page_gets_its_own_request_id_each_time(client, programme, session):
    first = client.get(f"/programmes/{programme.slug}/")
    second = client.get(f"/programmes/{programme.slug}/")  # from the page cache

    assert first.status_code == second.status_code == 200
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_json_lines_mask_secrets_in_the_message_the_traceback_and_extra_fields():
    record_logger = logging.getLogger("bookyourplace.test")
    with json_lines() as lines:
        try:
            raise ValueError(f'No booking for "/booking/{TOKEN}/" (sam@example.org)')
        except ValueError:
            record_logger.exception(
                'Lookup of "/booking/%s/" failed', TOKEN, extra={"url": f"https://x.example/booking/{TOKEN}/"}
            )

    (line,) = lines  # one valid JSON object: masking never broke an escaped quote
    written = json.dumps(line)
    assert TOKEN not in written and "sam@example.org" not in written
    assert line["message"] == 'Lookup of "/booking/[token]/" failed'
    assert line["url"] == "https://x.example/booking/[token]/"
    assert "ValueError" in line["exc_info"] and "[address]" in line["exc_info"]


def test_log_format_json_makes_the_production_service_write_json():
    script = "import logging; logging.getLogger('bookyourplace.test').warning('Hello from production')"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=production_env(LOG_FORMAT="json"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stderr
    assert {"level": "WARNING", "logger": "bookyourplace.test", "message": "Hello from production"}.items() <= (
        lines[-1].items()
    )
