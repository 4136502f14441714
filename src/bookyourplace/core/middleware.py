import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A clear 'try again shortly' page (503) while the database is unreachable.

    A restarting database must never show a stack trace or a bare 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) and _is_connection_problem(exception):
            logger.warning("Database unavailable: %s", exception)
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "5"
            return response.render()
        return None


def _is_connection_problem(exception: DatabaseError) -> bool:
    text = str(exception).lower()
    return any(
        phrase in text
        for phrase in ("connection", "could not connect", "server closed", "terminating", "pool", "database is locked")
    )
