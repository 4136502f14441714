"""The public programme and session pages, rendered once and served whole from Django's cache.

These are the pages a council's "booking is open" email sends thousands of people to at
once. ``CachedPageMiddleware`` sits near the top of the middleware stack and answers a
request for a page it holds before sessions, CSRF, authentication and the rest run (the way
a caching proxy in front of the site would): a cache hit costs one small query and one
cache read. A miss goes on to the view, and the finished response (headers set by every
middleware below this one included) is kept on the way out.

A page is kept under its programme's ``page_version`` (programmes/page_version.py), which every
change a visitor could see raises in the same transaction as the change, and that version
is read from the database on every request (one indexed row; also how an unknown or
unpublished programme is told apart). So a page served from the cache is never older than
the database, in any gunicorn process, with the per-process memory cache or a shared one
(CACHE_URL).

What else a page depends on is in the key or its lifetime:
- the address (the programme, the session) and the language;
- the clock: a session's booking opens or closes at a set time, so a page lives at most
  until the next such moment (and never longer than BYP_PAGE_CACHE_SECONDS).
Nothing on these pages differs by visitor (the one inline script is allowed by its hash,
not a per-response nonce: core/inline_script.py), and a response that sets a cookie is
never kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from bookyourplace.core.languages import language_for
from bookyourplace.programmes import page_version as page_versions

logger = logging.getLogger(__name__)

KEY_PREFIX = "byp:page:v2"
# The response carries these (set by the view) for the middleware to keep it.
SECONDS_ATTRIBUTE = "page_cache_seconds"


def _programme_version(programme_slug: str) -> tuple | None:
    found = page_versions.published_programme_version(programme_slug)
    return None if found is None else ("programme", *found)


def _session_version(programme_slug: str, session_id: int) -> tuple | None:
    found = page_versions.published_session_version(programme_slug=programme_slug, session_id=session_id)
    return None if found is None else ("session", session_id, *found)


# The cached pages, by URL name (public/urls.py), and what their version is read from.
PAGES = {
    "programme": _programme_version,
    "session": _session_version,
    # The calendar feeds and the embed (public/calendar_views.py): a feed is polled every
    # hour by every calendar subscribed to it.
    "programme_calendar": _programme_version,
    "session_calendar": _session_version,
    "programme_embed": _programme_version,
    "programme_embed_snippet": _programme_version,
}


def _key(parts: Iterable, language: str) -> str:
    # No spaces (a timestamp's): memcached and Django's key check refuse them.
    return ":".join([KEY_PREFIX, *(str(part).replace(" ", "T") for part in parts), language or ""])


def page_key(request) -> str | None:
    """The cache key of the page this request asks for, or None when it is not a cached page
    (or no published programme or session has that address: the view answers 404)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    version = PAGES.get(match.url_name) if match.namespace == "public" else None
    if version is None:
        return None
    parts = version(**match.kwargs)
    if parts is None:
        return None
    # The URL name keeps apart the pages of one version (the programme page, its feed, its
    # embed); the language as LanguageMiddleware, further down, will decide it.
    return _key((match.url_name, *parts), language_for(request))


def lifetime(moments: Iterable[datetime | None], now: datetime | None = None) -> int:
    """Seconds until the first of these moments still to come (booking opens or closes),
    at most BYP_PAGE_CACHE_SECONDS; 0 when one is less than a second away (do not cache)."""
    now = now or timezone.now()
    seconds = settings.BYP_PAGE_CACHE_SECONDS
    for moment in moments:
        if moment is not None and moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()))
    return max(seconds, 0)


def keep_for(response: HttpResponse, seconds: int) -> HttpResponse:
    """Mark a page the view rendered as fit to keep for ``seconds`` (0: not at all)."""
    setattr(response, SECONDS_ATTRIBUTE, seconds)
    return response


class CachedPageMiddleware:
    """Answers from the cache before the rest of the stack; keeps what the views mark."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        # The query string is not in the key: these pages do not read it, and links in a
        # council's email often carry tracking parameters.
        if request.method in ("GET", "HEAD"):
            try:
                key = page_key(request)
            except DatabaseError:
                # Let the full stack meet the same failure and answer with its 503 page.
                logger.warning("Page cache: could not read the page version", exc_info=True)
            if key is not None and (stored := _read(key)) is not None:
                headers, body = stored
                return HttpResponse(body, headers=headers)
        response = self.get_response(request)
        seconds = getattr(response, SECONDS_ATTRIBUTE, 0)
        if (
            key is not None
            and seconds > 0
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            _keep(key, (dict(response.headers), response.content), seconds)
        return response


# Pages of a session that differ by visitor only in a value or two (the booking form's CSRF
# token, the address on "Check your email") are rendered once per version of the session,
# with stand-ins where those values go, and filled in for each request: the form a rush of
# people loads is the busiest page the service renders. These are answered by their views,
# after the whole middleware stack (CSRF, sessions), unlike the pages above.


def _stand_in(name: str) -> str:
    # Letters, digits and dashes only: it comes through HTML escaping unchanged.
    return f"byp-stand-in-{name}-4f9c2b7e"


def _fill(body: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        body = body.replace(_stand_in(name), value)
    return body


def session_page_filled_in(
    request,
    *,
    page: str,
    programme_slug: str,
    session_id: int,
    values: dict[str, str],
    render: Callable[[dict[str, str]], HttpResponse],
) -> HttpResponse:
    """The session's ``page`` with ``values`` (HTML already escaped) filled in: from the cache
    when this version of the session was rendered before, else from ``render``, which is
    given stand-ins for the values and marks its response with keep_for as the pages above
    do. Nothing else on the page may differ by visitor."""
    version = _version_read_for(request, programme_slug, session_id)
    key = None if version is None else _key((page, *version), translation.get_language())
    if key is not None and (stored := _read(key)) is not None:
        status, body = stored
        return HttpResponse(_fill(body, values), status=status)
    response = render({name: _stand_in(name) for name in values})
    body = response.content.decode()
    seconds = getattr(response, SECONDS_ATTRIBUTE, 0)
    if key is not None and seconds > 0 and not response.cookies and response.status_code in (200, 409):
        _keep(key, (response.status_code, body), seconds)
    response.content = _fill(body, values)
    return response


def session_at_its_version(request, *, programme_slug: str, session_id: int, load: Callable[[], object]):
    """The session (with its programme and organiser) from ``load``, kept under the session's
    page version like the pages: a booking posted in a rush reads one small row, not three
    joined ones. As fresh as the pages are; book_place reads again under the session's lock
    whatever decides a place. The version read is kept on the request: a refusal page shown
    for this session in the same request is the one of the version the session was read at
    (what the page shows comes from that session), without reading the version again."""
    version = _session_version(programme_slug, session_id)
    request.byp_session_version = (programme_slug, session_id, version)
    if version is None:
        return load()  # which answers 404
    key = _key(("session-row", *version), "")
    if (stored := _read(key)) is not None:
        return stored
    session = load()
    _keep(key, session, settings.BYP_PAGE_CACHE_SECONDS)
    return session


def _version_read_for(request, programme_slug: str, session_id: int) -> tuple | None:
    """The session's version as session_at_its_version read it in this request, else read now."""
    kept = getattr(request, "byp_session_version", None)
    if kept is not None and kept[:2] == (programme_slug, session_id):
        return kept[2]
    return _session_version(programme_slug, session_id)


# A cache that cannot be reached (a shared one, CACHE_URL=redis://..., that is down) costs
# speed, never the page: it is passed by, and the page rendered from the database.


def _read(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache: could not read %s", key, exc_info=True)
        return None


def _keep(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("Page cache: could not keep %s", key, exc_info=True)
