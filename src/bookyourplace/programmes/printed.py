"""The programme on paper and in an email, written from its sessions (issue 16, point 3).

Three forms of the same facts (each session's day and date, time, title, subtitle, where it
happens, its description and the web address to book it at):

- ``programme_pdf``: an A4 document to print or attach, tagged for screen readers
  (PDF/UA-1: a heading per day, reading order as written, title and language in its
  metadata), with a QR code to the programme page;
- ``programme_poster``: a flyer in the organiser's colour, laid out like the ones councils
  already pin up, a week of sessions on one page where it fits;
- ``programme_plain_text``: for pasting into an email, wrapped at 72 columns.

Only what the public programme page shows is printed, never a joining link or its
instructions (those go to confirmed attendees only: bookings/joining.py). Cancelled
sessions are left out. A draft may be printed from the back office to check it; it says
"Draft" all over.

WeasyPrint takes a tenth of a second or more, so each PDF is kept in Django's cache and the
public download is not a way to burn CPU. Two keys: the programme's page version (raised by
every change a visitor could see, programmes/page_version.py) leads, without a query, to a
digest of the document's HTML, and the digest to the PDF. A booking raises the page version
without changing the print: the HTML is written again (one query) and the PDF is found
under the same digest, not laid out again. What the page version does not count (the
organiser's name, colour and address) is in the first key too. Raise CACHE_PREFIX's number
when the templates change, or a shared cache serves the old layout until the next change.
"""

import base64
import hashlib
import io
import logging
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from itertools import groupby

import segno
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookyourplace.core.formatting import session_date, time_range
from bookyourplace.programmes.models import Programme, Session, sanitise_description

logger = logging.getLogger(__name__)

CACHE_PREFIX = "byp:printed:v1"
# A day at most: a version key no longer asked for is not kept for ever.
CACHE_SECONDS = 24 * 60 * 60
# Plain text for an email: the width email clients and RFC 5322 expect.
TEXT_WIDTH = 72
# The poster fits a week on one page by shortening descriptions, then leaving them out; a
# programme longer than this is printed in full over several pages instead.
POSTER_FITS_AT_MOST = 8
POSTER_SHORT_DESCRIPTION_WORDS = 25
# PDF/UA-1 turns on tagging (the structure tree) and writes the XMP metadata it asks for.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# Words a shortened description does not end on.
_LEFT_HANGING = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


@dataclass(frozen=True)
class PrintedSession:
    """One session as it is printed: public facts only."""

    day: date
    date_text: str  # 'Monday 19 January 2026'
    time_text: str  # '13:00 to 15:00'
    title: str
    subtitle: str
    delivery: str  # 'Online (Microsoft Teams)', 'In person at Friargate, Room 1.4, 1 Friargate, Coventry'
    description_html: str
    description_text: str
    booking_url: str

    @property
    def weekday(self) -> str:
        return date_format(self.day, "l")

    @property
    def day_and_month(self) -> str:
        return date_format(self.day, "j F")

    def short_description(self, words: int = POSTER_SHORT_DESCRIPTION_WORDS) -> str:
        """The description's first ``words`` words, for a poster short of room; never ending
        on "the" or "and"."""
        kept = self.description_text.split()
        if len(kept) <= words:
            return " ".join(kept)
        kept = kept[:words]
        while len(kept) > 1 and kept[-1].lower() in _LEFT_HANGING:
            kept.pop()
        return " ".join(kept).rstrip(".,;:") + "…"


@dataclass(frozen=True)
class PrintedProgramme:
    """What every printed form is written from."""

    programme: Programme
    is_draft: bool
    title: str
    summary: str
    dates: str
    url: str
    sessions: list[PrintedSession]

    @property
    def days(self) -> list[tuple[str, list[PrintedSession]]]:
        return [(day, list(sessions)) for day, sessions in groupby(self.sessions, key=lambda s: s.date_text)]


@dataclass(frozen=True)
class PrintedFile:
    content: bytes
    pages: int
    filename: str

    @property
    def size(self) -> int:
        return len(self.content)


# --- What is printed ---------------------------------------------------------------------


def printed_sessions(programme: Programme, sessions: Iterable[Session] | None = None) -> list[Session]:
    """The sessions to print, in time order: every one not cancelled. ``sessions``: the
    programme's sessions already read (the public page has them), to spare a query."""
    if sessions is None:
        sessions = programme.sessions.filter(status=Session.Status.SCHEDULED)
    return sorted((s for s in sessions if not s.is_cancelled), key=lambda s: (s.starts_at, s.pk))


def programme_url(programme: Programme, *, site_url: str) -> str:
    """The public programme page: what the QR code opens."""
    return site_url + reverse("public:programme", kwargs={"programme_slug": programme.slug})


def booking_url(programme: Programme, session: Session, *, site_url: str) -> str:
    """The session's public page, where its "Book your place" button is."""
    return site_url + reverse("public:session", kwargs={"programme_slug": programme.slug, "session_id": session.pk})


def date_range(first: date, last: date) -> str:
    """'Monday 19 January to Friday 23 January 2026'; both years when they differ; one day alone."""
    if first == last:
        return date_format(first, "l j F Y")
    start = date_format(first, "l j F" if first.year == last.year else "l j F Y")
    return _("%(first)s to %(last)s") % {"first": start, "last": date_format(last, "l j F Y")}


def where(session: Session) -> str:
    """How and where, as one line: 'Online (Microsoft Teams)', 'In person at Friargate,
    Room 1.4, 1 Friargate, Coventry CV1 2GN'. Never the joining link."""
    if session.is_online:
        return _("Online (%(platform)s)") % {"platform": session.platform} if session.platform else _("Online")
    parts = [session.venue, session.room, *(line.strip(" ,") for line in session.address.splitlines())]
    place = ", ".join(part for part in parts if part)
    return _("In person at %(place)s") % {"place": place} if place else _("In person")


def printable(programme: Programme, *, site_url: str, sessions: Iterable[Session] | None = None) -> PrintedProgramme:
    tz = programme.tz
    chosen = printed_sessions(programme, sessions)
    days = [s.starts_at.astimezone(tz).date() for s in chosen]
    return PrintedProgramme(
        programme=programme,
        is_draft=programme.status == Programme.Status.DRAFT,
        title=programme.title,
        summary=programme.summary,
        dates=date_range(min(days), max(days)) if days else "",
        url=programme_url(programme, site_url=site_url),
        sessions=[
            PrintedSession(
                day=day,
                date_text=session_date(session.starts_at, tz),
                time_text=time_range(session.starts_at, session.ends_at, tz),
                title=session.title,
                subtitle=session.subtitle,
                delivery=where(session),
                # Sanitised when saved; again here, as it is printed as HTML.
                description_html=sanitise_description(session.description),
                description_text=html_to_text(session.description),
                booking_url=booking_url(programme, session, site_url=site_url),
            )
            for session, day in zip(chosen, days, strict=True)
        ],
    )


# --- The PDFs ----------------------------------------------------------------------------


def programme_pdf(programme: Programme, *, site_url: str) -> bytes:
    """The programme as an accessible A4 PDF (a day a heading, each session under it)."""
    return programme_pdf_file(programme, site_url=site_url).content


def programme_poster(programme: Programme, *, site_url: str) -> bytes:
    """The programme as a poster in the organiser's colour, one A4 page where it fits."""
    return poster_file(programme, site_url=site_url).content


def programme_pdf_file(
    programme: Programme, *, site_url: str, sessions: Iterable[Session] | None = None
) -> PrintedFile:
    """``programme_pdf`` with its page count and file name, for a download link."""
    return printed_file("programme", programme, site_url=site_url, sessions=sessions)


def poster_file(programme: Programme, *, site_url: str, sessions: Iterable[Session] | None = None) -> PrintedFile:
    return printed_file("poster", programme, site_url=site_url, sessions=sessions)


def filename(programme: Programme, kind: str, extension: str = "pdf") -> str:
    """'coventry-prevent-week.pdf', 'coventry-prevent-week-poster.pdf', '...-draft.txt'."""
    parts = [programme.slug, *([kind] if kind != "programme" else []), *(["draft"] if _is_draft(programme) else [])]
    return f"{'-'.join(parts)}.{extension}"


def _is_draft(programme: Programme) -> bool:
    return programme.status == Programme.Status.DRAFT


def _qr_code(url: str) -> str:
    """The programme page's QR code as a PNG data address: an image with alt text in the
    tagged PDF (an inline SVG would be drawn as untagged paths)."""
    # Error correction M: still read from a creased or faded print.
    png = io.BytesIO()
    segno.make_qr(url, error="m").save(png, kind="png", scale=10, border=4, dark="#0b0c0c", light="#ffffff")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def _context(printed: PrintedProgramme) -> dict:
    programme = printed.programme
    return {
        "printed": printed,
        "programme": programme,
        "organiser": programme.organiser,
        "qr_code": _qr_code(printed.url),
        "document_title": (_("Draft: %(title)s") % {"title": printed.title}) if printed.is_draft else printed.title,
    }


def _write_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, number of pages). Nothing is fetched but the page's own data: addresses."""
    # Imported here: WeasyPrint loads Pango and fonts, which only these downloads need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).render(**PDF_OPTIONS)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


TEMPLATES = {"programme": "programmes/printed/programme.html", "poster": "programmes/printed/poster.html"}


def _lay_out(kind: str, context: dict, html: str) -> tuple[bytes, int]:
    """(PDF, pages) from ``html``, the document with every description. A poster goes on one
    page if it can: with its descriptions shortened, else without them; if even that takes
    more than a page, it keeps them all over several."""
    content, pages = found = _write_pdf(html)
    if kind != "poster" or pages == 1 or len(context["printed"].sessions) > POSTER_FITS_AT_MOST:
        return found
    for descriptions in ("short", "none"):
        content, pages = _write_pdf(render_to_string(TEMPLATES[kind], {**context, "descriptions": descriptions}))
        if pages == 1:
            return content, pages
    return found


def printed_file(
    kind: str, programme: Programme, *, site_url: str, sessions: Iterable[Session] | None = None
) -> PrintedFile:
    """The programme's PDF (``kind`` "programme") or poster ("poster"), from the cache when
    this version of the programme was printed before. ``sessions``: the programme's
    sessions already read, to spare a query when it has to be written."""
    name = filename(programme, kind)
    version_key = _version_key(kind, programme, site_url)
    if (digest := _read(version_key)) and (found := _read(_content_key(kind, digest))):
        return PrintedFile(*found, filename=name)
    context = _context(printable(programme, site_url=site_url, sessions=sessions))
    html = render_to_string(TEMPLATES[kind], context)
    digest = hashlib.sha256(html.encode()).hexdigest()
    found = _read(_content_key(kind, digest))
    if found is None:
        found = _lay_out(kind, context, html)
        _keep(_content_key(kind, digest), found)
    _keep(version_key, digest)
    return PrintedFile(*found, filename=name)


def _version_key(kind: str, programme: Programme, site_url: str) -> str:
    # Created-at beside the id, as the page cache does: a test database hands out an id again.
    organiser = programme.organiser
    parts = (
        programme.pk,
        programme.created_at.isoformat(),
        programme.page_version,
        programme.status,
        translation.get_language(),
        site_url,
        organiser.name,
        organiser.brand_colour,
        organiser.contact_email,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{kind}:version:{programme.pk}:{programme.page_version}:{digest}"


def _content_key(kind: str, digest: str) -> str:
    return f"{CACHE_PREFIX}:{kind}:pdf:{digest}"


# A cache that cannot be reached costs time, never the download (as for the page cache).


def _read(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Printed programme cache: could not read %s", key, exc_info=True)
        return None


def _keep(key: str, value) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("Printed programme cache: could not keep %s", key, exc_info=True)


# --- Plain text --------------------------------------------------------------------------


def programme_plain_text(programme: Programme, *, site_url: str) -> str:
    """The programme for pasting into an email: title, dates, the programme's web address,
    then each day as a heading and under it each session's time, title, where and the web
    address to book it, then its description. No HTML; lines of 72 characters at most but
    for a web address longer than that, which is never broken."""
    printed = printable(programme, site_url=site_url)
    blocks = []
    if printed.is_draft:
        blocks.append(_wrap(_("Draft: this programme is not published yet. Dates and details may change.")))
    blocks.append("\n".join(part for part in (_wrap(printed.title), printed.dates) if part))
    if printed.summary:
        blocks.append(_wrap(printed.summary))
    blocks.append(_wrap(_("See the whole programme and book your place at %(url)s") % {"url": printed.url}))
    if not printed.sessions:
        blocks.append(_("No sessions have been published yet."))
    for day, sessions in printed.days:
        blocks.append(f"{day}\n{'=' * len(day)}")
        for session in sessions:
            lines = [_wrap(session.title)]
            if session.subtitle:
                lines.append(_wrap(session.subtitle))
            lines += [
                _wrap(_("Time: %(time)s") % {"time": session.time_text}),
                _wrap(_("Where: %(where)s") % {"where": session.delivery}),
                _wrap(_("Book your place: %(url)s") % {"url": session.booking_url}),
            ]
            blocks.append("\n".join(lines))
            blocks += [_wrap(paragraph) for paragraph in session.description_text.split("\n\n") if paragraph]
    return "\n\n".join(blocks) + "\n"


def _wrap(text: str) -> str:
    return "\n".join(
        textwrap.wrap(" ".join(text.split()), width=TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
    )


class _TextOfHtml(HTMLParser):
    """A description's text: paragraphs apart, list items as "- item", a link's address
    after its words when they differ."""

    BLOCKS = {"p", "ul", "ol", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.href = ""
        self.link_start = 0

    def _end_paragraph(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "li":
            self._end_paragraph()
        if tag == "li":
            self.current.append("- ")
        elif tag == "br":
            self._end_paragraph()
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_start = len("".join(self.current))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag == "li":
            self._end_paragraph()
        elif tag == "a" and self.href.startswith(("http://", "https://", "mailto:")):
            words = "".join(self.current)[self.link_start :].strip()
            address = self.href.removeprefix("mailto:")
            if words != address:
                self.current.append(f" ({address})")
            self.href = ""

    def handle_data(self, data):
        self.current.append(data)


def html_to_text(html: str) -> str:
    """A sanitised description as plain text, paragraphs separated by an empty line."""
    parser = _TextOfHtml()
    parser.feed(html or "")
    parser.close()
    parser._end_paragraph()
    return "\n\n".join(parser.paragraphs)
