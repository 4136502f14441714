"""What every answer under /api/ has in common, whoever made it (the API, Django, other middleware).

- Rate limits, checked before anything else runs (limits.py): per client address, and per
  token for a request that carries one. Over either: 429 problem JSON with Retry-After.
- Errors are problem JSON, never an HTML page: an address the API does not have, a method it
  does not take, the database away (core/middleware.py's 503 page), a crash outside a view.
- A request made with a token is never kept by a cache (``Cache-Control: no-store``); every
  answer varies by ``Authorization``.
- Every use of a token is in the audit log (audit.py): one row per request. A read whose use
  could not be written down is not answered (503).

It sits near the top of the stack (settings.MIDDLEWARE), so it sees the answers of the
middleware below it. The documentation page (/api/docs) is the one page: an error there is
problem JSON too.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from bookyourplace.api import audit, limits, problems

PREFIX = "/api/"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        refusal = limits.check(request)
        response = refusal if refusal is not None else self.get_response(request)
        if response.status_code >= 400 and not _is_problem(response):
            response = _as_problem(response)
        response = audit.record_use(request, response)
        patch_vary_headers(response, ["Authorization"])
        if "Authorization" in request.headers:
            add_never_cache_headers(response)
        return response


def _is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(problems.CONTENT_TYPE)


# Headers of the answer that still hold for its problem JSON.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _as_problem(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    detail = {
        404: "Nothing was found at this address. The documentation at /api/docs lists every endpoint.",
        405: "This address does not take that method.",
    }.get(status, "")
    if status == 503:
        detail = "The service is briefly unavailable. Try again in a few seconds."
    elif status >= 500:
        detail = "Something went wrong on our side. It has been logged; try again later."
    elif not detail:
        detail = "The request could not be answered."
    if status == 405 and response.has_header("Allow"):
        detail = f"This address takes {', '.join(sorted(m.strip() for m in response['Allow'].split(',')))} only."
    return problems.problem(
        status, detail, headers={name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    )
