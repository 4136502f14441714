"""The API's rate limits (core/rate_limits.py; their numbers in settings.BYP_RATE_LIMITS).

Every request under /api/ counts once per client address ("api_per_address"), and one that
carries a token once per token ("api_per_token"), before the token is even looked up: a script
hammering the API costs a cache increment per request, not a database query. The token is
counted by its text (hashed by the rate limits, never kept), so a mistyped or revoked token is
limited like a good one.
"""

import math

from django.http import HttpRequest, HttpResponse

from bookyourplace.api import problems
from bookyourplace.core import rate_limits
from bookyourplace.core.requests import client_ip


def bearer_text(request: HttpRequest) -> str:
    """The token as sent (``Authorization: Bearer <token>``), or ""."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def check(request: HttpRequest) -> HttpResponse | None:
    """None when the request is within its limits; otherwise the 429 to answer with."""
    waits = [rate_limits.hit("api_per_address", client_ip(request))]
    token = bearer_text(request)
    if token:
        waits.append(rate_limits.hit("api_per_token", token))
    wait = max(waits)
    return too_many_requests(wait) if wait else None


def too_many_requests(wait_seconds: int, detail: str = "") -> HttpResponse:
    seconds = max(1, math.ceil(wait_seconds))
    return problems.problem(
        429,
        detail or f"Too many requests. Try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
    )
