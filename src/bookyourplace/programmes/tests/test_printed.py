"""The printed programme, read back as a person and a screen reader would: the PDF and the
poster opened with pypdf (every session, in reading order, tagged, titled, the QR code to
the programme page), the plain text for emails, never a joining link; drafts say so; each PDF
is written once per change."""

import datetime as dt
import io
from pathlib import Path
from unittest import mock

import pytest
import segno
from django.core.cache import cache
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from bookyourplace.core.colours import contrast_with_white
from bookyourplace.core.formatting import session_date, time_range
from bookyourplace.programmes import printed
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.sessions import apply_changes

SITE = "https://bookyourplace.coventry.gov.uk"
SEED = Path(__file__).resolve().parents[4] / "demo" / "coventry-prevent-week.txt"
JOINING_URL = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


# --- Reading a PDF back ------------------------------------------------------------------


def read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def text_of(content: bytes) -> str:
    """Every page's text in order, each run of white space one space."""
    return " ".join(" ".join(page.extract_text().split()) for page in read(content).pages)


def joined(content: bytes) -> str:
    """The text with line breaks taken out: a web address broken at a line's end is whole."""
    return "".join("".join(page.extract_text().split()) for page in read(content).pages)


def link_targets(content: bytes) -> list[str]:
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in read(content).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


def structure(content: bytes) -> list[tuple[str, str]]:
    """The tagged structure in reading order: (role, alt text) of each element."""
    found = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and ("/S" in kid or "/K" in kid):
                walk(kid)

    walk(read(content).trailer["/Root"]["/StructTreeRoot"])
    return found


def qr_matrix(image: Image.Image) -> list[list[bool]]:
    """The dark and light modules of a QR code image with its quiet zone: the finder pattern
    in the top left corner is 7 modules wide, which gives the size of a module."""
    grey = image.convert("L")
    width, height = grey.size
    dark = [[grey.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]
    top = next(y for y in range(height) if any(dark[y]))
    left = dark[top].index(True)
    run = next(x for x in range(left, width) if not dark[top][x]) - left
    module = run / 7
    count = round((width - 2 * left) / module)
    return [
        [dark[round(top + (row + 0.5) * module)][round(left + (col + 0.5) * module)] for col in range(count)]
        for row in range(count)
    ]


def segno_matrix(url: str) -> list[list[bool]]:
    code = segno.make_qr(url, error="m")
    return [[bool(cell) for cell in row] for row in code.matrix]


def pdf_colour(hex_colour: str) -> str:
    """How WeasyPrint writes a fill colour: '0.113725 0.309804 0.568627 rg'."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return " ".join(f"{c:.6f}".rstrip("0").rstrip(".") for c in channels) + " rg"


def text_colours(content: bytes) -> set[str]:
    """The colours text is drawn in, as '#0b0c0c': the fill colour (rg) in force, within the
    saved and restored graphics states (q, Q), when each piece of text is shown."""
    reader = read(content)
    colours = set()
    for page in reader.pages:
        colour, saved = "#000000", []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(colour)
            elif operator == b"Q":
                colour = saved.pop()
            elif operator == b"rg":
                colour = "#" + "".join(f"{round(float(c) * 255):02x}" for c in operands)
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                colours.add(colour)
    return colours


def in_order(text: str, *parts: str) -> bool:
    """Each part found after the one before it."""
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position == -1:
            return False
        position += len(part)
    return True


# --- A week to print ---------------------------------------------------------------------


def next_monday() -> dt.date:
    day = dt.date.today() + dt.timedelta(days=30)
    return day + dt.timedelta(days=-day.weekday() % 7)


@pytest.fixture
def week(programme, make_session):
    """Monday online (with a joining link and instructions), Tuesday in person, Wednesday
    two sessions, and a cancelled one on Thursday."""
    monday = next_monday()

    def at(days: int, hour: int, minute: int = 0):
        return dt.datetime.combine(monday + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=programme.tz)

    programme.summary = "Safeguarding against radicalisation"
    programme.save()
    sessions = {
        "monday": make_session(
            title="School Massacre Phenomenon",
            subtitle="High-School Violence and Online Narratives",
            description="<p>An overview of <i>the phenomenon</i>.</p><p>See <a href='https://example.org/read'>the reading list</a>.</p>",
            starts_at=at(0, 13),
            ends_at=at(0, 15),
            joining_url=JOINING_URL,
            joining_instructions="Cameras on, please: passcode 4471.",
        ),
        "tuesday": make_session(
            title="From Investigation to Conviction",
            description="<p>A local case study.</p>",
            starts_at=at(1, 11, 45),
            ends_at=at(1, 13, 45),
            delivery=Session.Delivery.IN_PERSON,
            platform="",
            joining_url="",
            venue="Friargate",
            room="Room 1.4",
            address="1 Friargate\nCoventry CV1 2GN",
        ),
        "wednesday_morning": make_session(title="Order of Nine Angles", starts_at=at(2, 9, 30), ends_at=at(2, 11, 30)),
        "wednesday_afternoon": make_session(
            title="Self-Initiated Terrorism", description="", starts_at=at(2, 13), ends_at=at(2, 14, 30)
        ),
        "cancelled": make_session(title="Called Off", starts_at=at(3, 10), status=Session.Status.CANCELLED),
    }
    cache.clear()
    return sessions


def booking_url(session) -> str:
    return f"{SITE}/programmes/{session.programme.slug}/sessions/{session.pk}/"


PROGRAMME_URL = f"{SITE}/programmes/coventry-prevent-week/"


# --- The programme PDF -------------------------------------------------------------------


def test_programme_pdf_has_every_session_with_its_date_time_and_booking_address(programme, week):
    content = printed.programme_pdf(programme, site_url=SITE)
    text, whole = text_of(content), joined(content)

    for key in ("monday", "tuesday", "wednesday_morning", "wednesday_afternoon"):
        session = week[key]
        assert session.title in text
        assert session_date(session.starts_at, programme.tz) in text
        assert time_range(session.starts_at, session.ends_at, programme.tz) in text
        assert booking_url(session) in whole
        assert booking_url(session) in link_targets(content)
    assert "Online (Microsoft Teams)" in text
    assert "In person at Friargate, Room 1.4, 1 Friargate, Coventry CV1 2GN" in text
    assert "Called Off" not in text
    assert "Draft" not in text


def test_programme_pdf_reads_in_order_day_by_day_title_then_time_then_description(programme, week):
    text = text_of(printed.programme_pdf(programme, site_url=SITE))
    monday, tuesday = week["monday"], week["tuesday"]

    assert in_order(
        text,
        "Coventry Prevent Week",
        printed.date_range(monday.starts_at.date(), week["wednesday_afternoon"].starts_at.date()),
        session_date(monday.starts_at, programme.tz),
        "School Massacre Phenomenon",
        "High-School Violence and Online Narratives",
        "13:00 to 15:00",
        "Online (Microsoft Teams)",
        "An overview of the phenomenon.",
        session_date(tuesday.starts_at, programme.tz),
        "From Investigation to Conviction",
        "11:45 to 13:45",
        "A local case study.",
        "Order of Nine Angles",
        "09:30 to 11:30",
        "Self-Initiated Terrorism",
        "13:00 to 14:30",
    ), text


def test_programme_pdf_is_a_tagged_a4_document_with_title_language_and_headings(programme, week):
    pdf = printed.programme_pdf_file(programme, site_url=SITE)
    reader = read(pdf.content)
    catalog = reader.trailer["/Root"]
    roles = [role for role, _alt in structure(pdf.content)]

    assert len(reader.pages) == pdf.pages >= 1
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [
        (595, 842)
    ] * pdf.pages, "not A4 portrait"
    assert reader.metadata.title == "Coventry Prevent Week"
    assert reader.metadata.author == "Coventry Prevent Partnership"
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    # One title, a heading per day, a heading per session, in that order.
    assert roles.count("/H1") == 1
    assert roles.count("/H2") == 3  # Monday, Tuesday, Wednesday
    assert roles.count("/H3") == 4
    assert roles.index("/H1") < roles.index("/H2") < roles.index("/H3")
    assert pdf.filename == "coventry-prevent-week.pdf"


def test_all_text_is_dark_on_white_or_white_on_the_organisers_colour(programme, organiser, week):
    organiser.brand_colour = "#00703c"
    organiser.save()

    for content in (
        printed.programme_pdf(programme, site_url=SITE),
        printed.programme_poster(programme, site_url=SITE),
    ):
        colours = text_colours(content)

        assert "#0b0c0c" in colours  # the body text
        assert "#ffffff" in colours  # the headings on the organiser's colour
        # Everything else at least 4.5 to 1 on white, as the body text must be.
        assert all(contrast_with_white(c) >= 4.5 for c in colours - {"#ffffff"}), colours


def test_programme_pdf_qr_code_opens_the_programme_page_whose_address_is_printed_under_it(programme, week):
    content = printed.programme_pdf(programme, site_url=SITE)
    images = read(content).pages[0].images
    figures = [alt for role, alt in structure(content) if role == "/Figure"]

    assert len(images) == 1
    assert qr_matrix(images[0].image) == segno_matrix(PROGRAMME_URL)
    assert figures == [f"QR code: opens the programme page, {PROGRAMME_URL}"]
    assert in_order(text_of(content), "Scan the QR code", PROGRAMME_URL, "School Massacre Phenomenon")


def test_the_seed_week_prints_on_two_pages_and_its_poster_on_one(organiser):
    programme = import_programme(text=SEED.read_text(), organiser=organiser, publish=True, today=dt.date(2026, 1, 1))

    pdf = printed.programme_pdf_file(programme, site_url=SITE)
    poster = printed.poster_file(programme, site_url=SITE)

    assert (pdf.pages, len(read(pdf.content).pages)) == (2, 2)
    assert (poster.pages, len(read(poster.content).pages)) == (1, 1)
    titles = [s.title for s in programme.sessions.order_by("starts_at")]
    assert len(titles) == 6
    assert in_order(text_of(pdf.content), *titles)
    assert in_order(text_of(poster.content), *titles)
    assert "Monday 19 January to Friday 23 January 2026" in text_of(poster.content)


# --- The poster --------------------------------------------------------------------------


def test_poster_has_a_row_per_session_day_first_with_time_delivery_and_where_to_book(programme, week):
    poster = printed.poster_file(programme, site_url=SITE)
    text, whole = text_of(poster.content), joined(poster.content)

    assert poster.pages == 1
    assert poster.filename == "coventry-prevent-week-poster.pdf"
    assert read(poster.content).metadata.title == "Coventry Prevent Week: poster"
    assert in_order(
        text,
        "Coventry Prevent Week",
        "Safeguarding against radicalisation",
        "Monday",
        "School Massacre Phenomenon: High-School Violence and Online Narratives",
        "Time: 13:00 to 15:00",
        "Delivery: Online (Microsoft Teams)",
        "Book your place at",
        "Tuesday",
        "From Investigation to Conviction",
        "Time: 11:45 to 13:45",
        "Delivery: In person at Friargate, Room 1.4",
        "Wednesday",
        "Order of Nine Angles",
        "Self-Initiated Terrorism",
        "Book your place online at",
    ), text
    for key in ("monday", "tuesday", "wednesday_morning", "wednesday_afternoon"):
        assert booking_url(week[key]) in whole
    assert PROGRAMME_URL in whole
    assert "Called Off" not in text


def test_poster_is_in_the_organisers_colour_with_white_text_on_it(programme, organiser, week):
    organiser.brand_colour = "#00703c"
    organiser.save()

    content = printed.programme_poster(programme, site_url=SITE)
    drawing = read(content).pages[0].get_contents().get_data().decode("latin-1")

    assert pdf_colour("#00703c") in drawing
    assert "1 1 1 rg" in drawing  # white text on it
    assert pdf_colour("#1d4f91") not in drawing


def test_poster_qr_code_opens_the_programme_page(programme, week):
    content = printed.programme_poster(programme, site_url=SITE)
    images = read(content).pages[0].images

    assert len(images) == 1
    assert qr_matrix(images[0].image) == segno_matrix(PROGRAMME_URL)


def test_poster_shortens_long_descriptions_to_keep_a_week_on_one_page(programme, make_session):
    monday = next_monday()
    long_text = " ".join(["Participants will learn how harmful narratives spread online and how to respond."] * 12)
    for day in range(6):
        make_session(
            title=f"Briefing {day + 1}",
            description=f"<p>Opening words of briefing {day + 1}. {long_text}</p>",
            starts_at=dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(10), tzinfo=programme.tz),
        )

    poster = printed.poster_file(programme, site_url=SITE)
    text = text_of(poster.content)

    assert poster.pages == 1
    assert in_order(text, *(f"Opening words of briefing {n}" for n in range(1, 7)))
    assert "…" in text
    # The programme PDF keeps every word.
    assert text_of(printed.programme_pdf(programme, site_url=SITE)).count(long_text) == 6


def test_poster_of_a_long_programme_runs_over_pages_with_every_session(programme, make_session):
    monday = next_monday()
    for n in range(12):
        make_session(
            title=f"Workshop {n + 1:02d}",
            description="<p>" + "A full description of the workshop. " * 8 + "</p>",
            starts_at=dt.datetime.combine(monday + dt.timedelta(days=n), dt.time(10), tzinfo=programme.tz),
        )

    poster = printed.poster_file(programme, site_url=SITE)

    assert poster.pages > 1
    assert in_order(text_of(poster.content), *(f"Workshop {n:02d}" for n in range(1, 13)))


# --- Never the joining link --------------------------------------------------------------


def test_no_printed_form_has_the_joining_link_or_instructions(programme, week):
    pdf = printed.programme_pdf(programme, site_url=SITE)
    poster = printed.programme_poster(programme, site_url=SITE)
    text = printed.programme_plain_text(programme, site_url=SITE)

    assert week["monday"].joining_url == JOINING_URL  # set, so it could leak
    for printed_text in (text_of(pdf), joined(pdf), text_of(poster), joined(poster), text):
        assert "secret-joining-link" not in printed_text
        assert "teams.microsoft.com" not in printed_text
        assert "passcode" not in printed_text
    for content in (pdf, poster):
        assert all("teams.microsoft.com" not in target for target in link_targets(content))


# --- Plain text --------------------------------------------------------------------------


def test_plain_text_has_each_day_and_session_in_order_wrapped_for_email(programme, week):
    text = printed.programme_plain_text(programme, site_url=SITE)
    monday, tuesday = week["monday"], week["tuesday"]

    assert text.startswith(
        "Coventry Prevent Week\n"
        + printed.date_range(monday.starts_at.date(), week["wednesday_afternoon"].starts_at.date())
    )
    assert in_order(
        text,
        PROGRAMME_URL,
        session_date(monday.starts_at, programme.tz),
        "School Massacre Phenomenon",
        "Time: 13:00 to 15:00",
        "Where: Online (Microsoft Teams)",
        f"Book your place:\n{booking_url(monday)}",
        "An overview of the phenomenon.",
        "See the reading list (https://example.org/read).",
        session_date(tuesday.starts_at, programme.tz),
        "From Investigation to Conviction",
        "Where: In person at Friargate, Room 1.4, 1 Friargate, Coventry CV1 2GN",
        booking_url(tuesday),
        "Order of Nine Angles",
        "Self-Initiated Terrorism",
    ), text
    assert "<" not in text and "&amp;" not in text
    assert "Called Off" not in text
    for line in text.splitlines():
        assert len(line) <= printed.TEXT_WIDTH or line.startswith("https://"), line


def test_plain_text_wraps_a_long_description_without_breaking_words():
    long = printed._wrap("word " * 40 + "https://example.org/" + "a" * 80)

    assert all(len(line) <= 72 for line in long.splitlines()[:-1])
    assert long.splitlines()[-1] == "https://example.org/" + "a" * 80


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One.</p><p>Two &amp; three.</p>", "One.\n\nTwo & three."),
        ("<ul><li>First</li><li>Second</li></ul>", "- First\n\n- Second"),
        ("Plain words", "Plain words"),
        ('<p><a href="mailto:prevent@coventry.example">prevent@coventry.example</a></p>', "prevent@coventry.example"),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert printed.html_to_text(html) == text


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (dt.date(2026, 1, 19), dt.date(2026, 1, 23), "Monday 19 January to Friday 23 January 2026"),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 1), "Monday 28 December 2026 to Friday 1 January 2027"),
        (dt.date(2026, 1, 19), dt.date(2026, 1, 19), "Monday 19 January 2026"),
    ],
)
def test_date_range(first, last, words):
    assert printed.date_range(first, last) == words


# --- Drafts ------------------------------------------------------------------------------


def test_a_draft_says_draft_on_every_printed_form(programme, week):
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)
    programme.refresh_from_db()

    pdf = printed.programme_pdf_file(programme, site_url=SITE)
    poster = printed.poster_file(programme, site_url=SITE)
    text = printed.programme_plain_text(programme, site_url=SITE)

    assert read(pdf.content).metadata.title == "Draft: Coventry Prevent Week"
    assert text_of(pdf.content).startswith("Coventry Prevent Partnership Draft: Coventry Prevent Week Draft: this")
    assert "Draft: this programme is not published yet" in text_of(poster.content)
    assert text.startswith("Draft: this programme is not published yet.")
    assert (pdf.filename, poster.filename) == (
        "coventry-prevent-week-draft.pdf",
        "coventry-prevent-week-poster-draft.pdf",
    )


def test_a_programme_with_no_sessions_says_so(programme):
    assert "No sessions have been published yet." in text_of(printed.programme_pdf(programme, site_url=SITE))
    assert "No sessions have been published yet." in printed.programme_plain_text(programme, site_url=SITE)


# --- Written once per change -------------------------------------------------------------


@pytest.fixture
def weasyprint_runs(monkeypatch):
    """How many times WeasyPrint has laid out a document."""
    runs = []
    real = printed._write_pdf

    def counted(html):
        runs.append(html)
        return real(html)

    monkeypatch.setattr(printed, "_write_pdf", counted)
    return runs


def fresh(programme) -> Programme:
    """The programme as a new request reads it."""
    return Programme.objects.select_related("organiser").get(pk=programme.pk)


def test_the_second_download_comes_from_the_cache_without_weasyprint(programme, week, weasyprint_runs):
    first = printed.programme_pdf(fresh(programme), site_url=SITE)
    with mock.patch.object(printed, "printable", side_effect=AssertionError("read the sessions again")):
        second = printed.programme_pdf(fresh(programme), site_url=SITE)

    assert second == first
    assert len(weasyprint_runs) == 1


def test_a_changed_session_gives_a_new_pdf(programme, week, weasyprint_runs):
    before = printed.programme_pdf(fresh(programme), site_url=SITE)
    # As bookings/session_changes.py: change_session does.
    apply_changes(session=week["tuesday"], places_taken=0, title="From Arrest to Conviction")
    programme_changed(programme.pk)

    after = printed.programme_pdf(fresh(programme), site_url=SITE)

    assert "From Investigation to Conviction" in text_of(before)
    assert "From Arrest to Conviction" in text_of(after)
    assert "From Investigation to Conviction" not in text_of(after)
    assert len(weasyprint_runs) == 2


def test_a_change_that_prints_the_same_is_not_laid_out_again(programme, week, weasyprint_runs):
    first = printed.programme_pdf(fresh(programme), site_url=SITE)
    programme_changed(programme.pk)  # as a booking does: places left change, the print does not

    again = printed.programme_pdf(fresh(programme), site_url=SITE)

    assert again == first
    assert len(weasyprint_runs) == 1


def test_a_new_brand_colour_gives_a_new_poster_though_the_page_version_stays(
    programme, organiser, week, weasyprint_runs
):
    printed.programme_poster(fresh(programme), site_url=SITE)
    organiser.brand_colour = "#00703c"
    organiser.save()

    content = printed.programme_poster(fresh(programme), site_url=SITE)

    assert pdf_colour("#00703c") in read(content).pages[0].get_contents().get_data().decode("latin-1")


def test_a_cache_that_cannot_be_reached_still_gives_the_pdf(programme, week):
    with (
        mock.patch.object(printed.cache, "get", side_effect=ConnectionError("cache down")),
        mock.patch.object(printed.cache, "set", side_effect=ConnectionError("cache down")),
    ):
        content = printed.programme_pdf(fresh(programme), site_url=SITE)

    assert "School Massacre Phenomenon" in text_of(content)
