"""One JSON object per log line (``LOG_FORMAT=json``), for a log collector to index.

Each line holds ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``request_id``
(core/request_id.py; null outside a request), a traceback as ``exc_info`` and whatever a
caller passed in ``extra`` (``status_code``...). Every string in it is masked as the plain
lines are (core/log_masking.py: the manage link's token, addresses), the traceback and the
extra fields included, before it is written: masking the finished JSON text instead could cut
through an escaped quote and break the line.

gunicorn's own lines use the same formatter (``GunicornLogger`` below, which scripts/serve.sh
names), its access lines as fields (method, path, status, duration, the request id the
response carries) rather than one Apache-style string; without LOG_FORMAT=json they are
gunicorn's usual lines, masked (core/log_masking.py).
"""

import os
from datetime import date, datetime, time

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from bookyourplace.core import log_masking
from bookyourplace.core.log_masking import mask_secrets

FIELDS = ["levelname", "name", "message", "request_id"]
RENAMED = {"levelname": "level", "name": "logger"}
# Django passes the request object with some lines; its text repeats the path the message has.
NOT_WRITTEN = [*RESERVED_ATTRS, "request", "color_message"]


def _masked(value):
    if isinstance(value, str):
        return mask_secrets(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(item) for item in value]
    return mask_secrets(str(value))


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", FIELDS)
        kwargs.setdefault("rename_fields", RENAMED)
        kwargs.setdefault("reserved_attrs", NOT_WRITTEN)
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data):
        # "time" first, as a person reading the raw lines expects; every string masked.
        ordered = {"time": log_data.pop("time")} if "time" in log_data else {}
        ordered.update(log_data)
        return {key: _masked(value) for key, value in ordered.items()}


def wanted() -> bool:
    """LOG_FORMAT=json (read by gunicorn's logger too, which starts before Django's settings)."""
    return os.environ.get("LOG_FORMAT", "").strip().lower() == "json"


class GunicornLogger(log_masking.GunicornLogger):
    """``--logger-class bookyourplace.core.structured_logs.GunicornLogger``: masked lines, and
    JSON ones with LOG_FORMAT=json."""

    def setup(self, cfg):
        super().setup(cfg)
        self.json_lines = wanted()
        if self.json_lines:
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not getattr(self, "json_lines", False):
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        path = environ.get("RAW_URI") or environ.get("PATH_INFO", "")
        pairs = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        headers = {name.lower(): value for name, value in pairs}
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": path,
            "status": int(status),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "request_id": headers.get("x-request-id"),
        }
        try:
            self.access_log.info("%s %s %s", fields["method"], path, status, extra=fields)
        except Exception:
            self.error("Could not write an access log line", exc_info=True)
        return None
