"""A programme's calendar feed, a session's calendar file, and the programme to show on a
council's own website: an iframe page and an HTML snippet (issue 16, point 4).

All four are public and the same for everyone, so they are kept whole by the page cache
under the programme's page version (public/page_cache.py: PAGES): a feed polled every hour
by thousands of calendars costs one small query while nothing has changed.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.csp import CSP
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from bookyourplace.programmes import calendar_feed
from bookyourplace.public import page_cache
from bookyourplace.public.views import _allow, _published_programme, _published_session, programme_page

CALENDAR = "text/calendar; charset=utf-8"

# The embed may be shown in a frame by any website (a council pastes it into its own pages),
# and runs no script at all. Every other page keeps refusing frames (settings.SECURE_CSP,
# X_FRAME_OPTIONS), so nobody can dress up the booking form in another site's clothes.
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"], "script-src": [CSP.NONE], "form-action": [CSP.NONE]}


def _calendar_response(body: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    # Nothing in it changes with the clock (it shows no places left): kept until the
    # programme changes, or for BYP_PAGE_CACHE_SECONDS.
    return page_cache.keep_for(response, settings.BYP_PAGE_CACHE_SECONDS)


@_allow("GET", "HEAD")
def programme_calendar(request, programme_slug):
    programme = _published_programme(programme_slug)
    # Inline: calendars fetch it; a browser that opens the link offers to open the calendar app.
    return _calendar_response(calendar_feed.programme_feed(programme), programme.slug, download=False)


@_allow("GET", "HEAD")
def session_calendar(request, programme_slug, session_id):
    session = _published_session(programme_slug, session_id)
    name = slugify(session.title)[:60] or f"session-{session.pk}"
    return _calendar_response(calendar_feed.session_file(session), name, download=True)


@_allow("GET", "HEAD")
@xframe_options_exempt
@csp_override(EMBED_CSP)
def programme_embed(request, programme_slug):
    """The programme's sessions by day, to show in an iframe on another site."""
    return programme_page(request, programme_slug, "public/embed.html")


@_allow("GET", "HEAD")
def programme_embed_snippet(request, programme_slug):
    """The same list as an HTML fragment, for a site that includes HTML on its own server
    (or fetches it in the browser: any site may)."""
    response = programme_page(request, programme_slug, "public/embed_snippet.html")
    response["Access-Control-Allow-Origin"] = "*"
    return response
