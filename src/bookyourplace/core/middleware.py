import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse
from django.views import defaults

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A clear 'try again shortly' page (503) while the database is unreachable.

    A restarting database must never show a stack trace or a bare 500. This catches what a
    view raises; ``server_error`` (the project's handler500) catches the same errors raised
    outside a view, such as saving the session after a booking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """handler500: the 503 page when the error was the database going away, else the 500 page."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return unavailable_response(request, exception)
    return defaults.server_error(request)


def unavailable_response(request, exception) -> TemplateResponse:
    logger.warning("Database unavailable: %s", exception)
    # The page names no one, and finding who is signed in would ask the database again.
    request.user = AnonymousUser()
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "5"
    return response.render()


def is_database_unavailable(exception: BaseException) -> bool:
    """Django's OperationalError or InterfaceError for a lost connection: a restart, a failover,
    no connection free in the pool (psycopg_pool's PoolTimeout, an OperationalError), SQLite
    busy. Psycopg raises these at connect, on a query, or on a connection cut mid-request."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, (OperationalError, InterfaceError)) and _is_connection_problem(exception):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def _is_connection_problem(exception: DatabaseError) -> bool:
    text = str(exception).lower()
    return any(
        phrase in text
        for phrase in ("connection", "could not connect", "server closed", "terminating", "pool", "database is locked")
    )
