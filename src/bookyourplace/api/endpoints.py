"""The JSON API at /api/: django-ninja, its routers, its errors, its OpenAPI 3.1 document at
/api/openapi.json. The readable documentation at /api/docs is a page of the site's own
(docs.py), drawn from the same document."""

import copy

from ninja import NinjaAPI

from bookyourplace.api import openapi, problems
from bookyourplace.api.routers import bookings, programmes, reports, sessions

DESCRIPTION = """Published programmes and their sessions, for anyone; bookings, waiting lists, attendance,
feedback and report figures of one organiser's programmes, with that organiser's API token.
Errors are problem details (RFC 9457). The documentation page is at /api/docs."""


class BookYourPlaceApi(NinjaAPI):
    _finished: dict | None = None

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The same for every request: written once per process.
        if self._finished is None or path_prefix is not None or path_params:
            finished = openapi.finish(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
            if path_prefix is not None or path_params:
                return finished
            self._finished = finished
        return copy.deepcopy(self._finished)

    def get_openapi_operation_id(self, operation) -> str:
        # The view's name (list_bookings, create_booking): short, and unique across the routers.
        return operation.view_func.__name__


api = BookYourPlaceApi(
    title="Book Your Place API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
api.add_router("", programmes.router)
api.add_router("", bookings.router)
api.add_router("", sessions.router)
api.add_router("", reports.router)
problems.install(api)
