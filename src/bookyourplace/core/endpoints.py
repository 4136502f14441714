"""/healthz, /readyz and /metrics: answered first in the middleware stack, before anything else.

So they cost nothing but their own check: no session, cookie, CSRF, language or page cache,
and no request metrics of their own. Being first also means two checks are passed by, on
purpose, for these three paths only:
- the host name (ALLOWED_HOSTS): a load balancer's health checks and a Prometheus scrape
  reach each server by its own address (``Host: 10.0.3.7:8000``), which no one lists there.
  These answers carry no link and no host name, so nothing can be poisoned through them;
- the redirect to HTTPS (SECURE_SSL_REDIRECT): checks and scrapes come over plain HTTP
  on the private network, straight to gunicorn.
/metrics guards itself (core/metrics.py: METRICS_TOKEN, or this machine only).
"""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from bookyourplace.core import health, metrics

HEALTHZ, READYZ, METRICS = "/healthz", "/readyz", "/metrics"


def healthz(request) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request) -> HttpResponse:
    readiness = health.readiness()
    return JsonResponse(readiness.as_json(), status=200 if readiness.ready else 503)


_ANSWERS = {HEALTHZ: healthz, READYZ: readyz, METRICS: metrics.metrics_response}


class ServiceEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = _ANSWERS.get(request.path_info.rstrip("/") or "/")
        if answer is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
        else:
            response = answer(request)
        add_never_cache_headers(response)
        response["X-Content-Type-Options"] = "nosniff"
        return response
