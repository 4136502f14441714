"""The embed as a council's website shows it: the iframe code from the back office pasted into
a page served from another origin, used with the keyboard in a real Chromium, and the embed
page checked with axe-core on a phone and a desktop (the back office's share page is checked
in backoffice/tests/browser/test_share_page.py)."""

import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from bookyourplace.bookings.testing import book
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    press_enter_for_new_tab,
    tab_to,
)
from bookyourplace.programmes.sharing import sharing

pytestmark = pytest.mark.browser


class _FrameFocus:
    """tab_to for what has the focus inside a frame: the keyboard is the page's, the focus
    the frame's."""

    def __init__(self, page, frame):
        self.keyboard = page.keyboard
        self.evaluate = frame.evaluate


@pytest.fixture
def council_site():
    """A web server on another port (so another origin) serving one page: set ``html``."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get("html", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://127.0.0.1:{server.server_port}/prevent-training"
    server.shutdown()
    server.server_close()


def live_server_url(programme) -> str:
    return f"{django_settings.SITE_URL}/programmes/{programme.slug}"


def council_page(*frames: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Prevent training - Coventry City Council'
        "</title></head><body><main><h1>Prevent training</h1><p>Book a place on our training below.</p>"
        + "".join(frames)
        + "</main></body></html>"
    )


@pytest.fixture
def published_week(settings, live_server, transactional_db, programme, make_session):
    # The addresses in the iframe code, and in the embed's links, are the live server's.
    settings.SITE_URL = live_server.url
    cache.clear()
    first = make_session(title="Online Harms", capacity=30)
    full = make_session(title="Understanding Prevent", starts_at=first.starts_at + timedelta(days=1), capacity=1)
    book(full, "someone@coventry.gov.uk")
    yield {"first": first, "full": full}
    cache.clear()


def test_the_pasted_iframe_shows_the_programme_and_books_by_keyboard(page, council_site, programme, published_week):
    pages, address = council_site
    pages["html"] = council_page(sharing(programme).iframe_code)

    page.goto(address)
    frame = page.frame(url=lambda url: url.endswith(f"/programmes/{programme.slug}/embed/"))
    frame.wait_for_load_state()
    shown = frame.locator("body").inner_text()
    assert "Online Harms" in shown and "Understanding Prevent" in shown
    assert "Fully booked" in shown

    # From the council's page into the frame with Tab, to the first "Book your place".
    link = tab_to(
        _FrameFocus(page, frame),
        lambda element: element["tag"] == "a" and element["name"].startswith("Book your place"),
    )
    assert re.match(r"Book your place ?: Online Harms, ", link["name"])
    assert link["name"].endswith("(opens in new tab)")
    booking_form = press_enter_for_new_tab(page)

    assert booking_form.url == f"{live_server_url(programme)}/sessions/{published_week['first'].pk}/book/"
    assert "Online Harms" in booking_form.locator("main").inner_text()
    assert page.url == address  # the council's page stays where it was


def test_a_council_page_may_frame_the_embed_and_nothing_else(page, council_site, programme, published_week):
    pages, address = council_site
    programme_page = f"{live_server_url(programme)}/"
    booking_form = f"{live_server_url(programme)}/sessions/{published_week['first'].pk}/book/"
    pages["html"] = council_page(
        sharing(programme).iframe_code,
        f'<iframe src="{programme_page}" title="Programme"></iframe>',
        f'<iframe src="{booking_form}" title="Booking form"></iframe>',
    )

    page.goto(address)
    page.wait_for_load_state("load")

    assert len(page.frames) == 4
    shown = [frame for frame in page.frames[1:] if frame.url.endswith("/embed/")]
    assert len(shown) == 1 and "Online Harms" in shown[0].locator("body").inner_text()
    # Chromium shows its own "refused to connect" page in place of the other two.
    refused = [frame.url for frame in page.frames[1:] if frame not in shown]
    assert refused == ["chrome-error://chromewebdata/", "chrome-error://chromewebdata/"]


def test_the_embed_passes_axe_on_a_phone_and_a_desktop(page, programme, published_week):
    page.goto(f"{live_server_url(programme)}/embed/")

    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)
        # Nothing wider than the screen (WCAG 1.4.10 Reflow).
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
