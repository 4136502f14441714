"""A request id on every log line a request writes, and on its response.

``RequestIdMiddleware`` (near the top of the stack) takes the id the reverse proxy sent in
``X-Request-ID`` when there is a trusted proxy (``TRUSTED_PROXIES`` > 0; nginx's
``$request_id``, deploy/nginx/bookyourplace.conf), else makes one; it is sent back in the
response's ``X-Request-ID`` (which gunicorn's access log line records too) and held in a
context variable until the request is finished (Django's "Not Found: ..." line is written
after the middleware has returned), where ``RequestIdFilter`` (on every handler in
settings.LOGGING) finds it for each log line. Without a trusted proxy a client's own header
is ignored: anyone could otherwise write what they liked into the logs.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished

HEADER = "X-Request-ID"
# What a proxy's id may look like: nginx's 32 hex digits, a UUID, a cloud load balancer's
# "Root=1-5f84...". Anything else (too long, spaces, quotes, line breaks) is replaced.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:=+/-]{1,128}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_for(request) -> str:
    if settings.TRUSTED_PROXY_COUNT > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "").strip()
        if _ACCEPTABLE.match(given):
            return given
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget(**kwargs) -> None:
    # The request is over (its response sent and closed, in the thread that answered it):
    # what this thread logs next belongs to no request until the next one sets its id.
    _current.set(None)


request_finished.connect(_forget, dispatch_uid="bookyourplace.core.request_id")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (``request_id``; None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
