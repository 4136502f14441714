"""The public programme and session pages, rendered once and served from Django's cache.

A page is kept under its programme's ``page_version`` (bookings/cache.py), which every
visible change raises in the same transaction, and the view reads that version from the
database on every request (one small query, needed anyway to answer 404 for an unknown
or unpublished programme). So a cached page is never older than the database, in any
gunicorn process, with the per-process memory cache or a shared one (CACHE_URL).

What else a page depends on is in the key or the lifetime:
- the language (key);
- the clock: a session's booking opens or closes at a set time, so a page lives at most
  until the next such moment (and never longer than PAGE_CACHE_SECONDS);
- the CSP nonce of the one inline script, different on every response: it is stored as a
  placeholder and put back per request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone, translation

NONCE_PLACEHOLDER = b"\x00byp-csp-nonce\x00"
KEY_PREFIX = "byp:page:v1"


def _key(parts: Iterable) -> str:
    # No spaces (a timestamp's): memcached and Django's key check refuse them.
    return ":".join([KEY_PREFIX, *(str(part).replace(" ", "T") for part in parts), translation.get_language() or ""])


def _nonce(request) -> str | None:
    nonce = get_nonce(request)
    return None if nonce is None else str(nonce)  # str() makes the middleware send it in the header


def lifetime(moments: Iterable[datetime | None], now: datetime | None = None) -> int:
    """Seconds until the first of these moments still to come (booking opens or closes),
    at most PAGE_CACHE_SECONDS; 0 when one is less than a second away (do not cache)."""
    now = now or timezone.now()
    seconds = settings.BYP_PAGE_CACHE_SECONDS
    for moment in moments:
        if moment is not None and moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()))
    return max(seconds, 0)


def cached_page(request, key: Iterable, build: Callable[[], tuple[HttpResponse, int]]) -> HttpResponse:
    """The page stored under ``key`` (plus the language), or ``build()``'s response, kept
    for the seconds it says when it is a plain 200."""
    cache_key = _key(key)
    stored = cache.get(cache_key)
    if stored is not None:
        content_type, body = stored
        nonce = _nonce(request)
        if nonce is not None:
            body = body.replace(NONCE_PLACEHOLDER, nonce.encode())
        return HttpResponse(body, content_type=content_type)
    response, seconds = build()
    if seconds > 0 and response.status_code == 200 and not response.streaming and not response.cookies:
        body = response.content
        nonce = get_nonce(request)
        if nonce:  # generated while rendering: the page carries it
            body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        cache.set(cache_key, (response["Content-Type"], body), seconds)
    return response
