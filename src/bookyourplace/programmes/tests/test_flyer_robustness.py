"""The flyer reader never fails on what it is given: a flyer it cannot open is refused with a
message (FlyerUnreadable); anything else is read, with what it could not read flagged."""

import datetime as dt
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookyourplace.programmes.errors import FlyerUnreadable
from bookyourplace.programmes.flyers.reading import CANNOT_READ, read_flyer

TODAY = dt.date(2026, 1, 1)
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real flyers, so that the examples reach the reader's rules, not just its edges.
FRAGMENTS = [
    "Monday 19th January", "Tue 3 Mar 2026", "19/01/2026", "29 February", "Wednesday", "April–May 2026",
    "10am – 12pm", "9.30 – 11.00", "12 noon to 1.30pm", "midday", "25:99 – 26:00", "Time:", "Time: soon",
    "Where: Online MS Teams", "Venue: Council House, Room 2, Coventry CV1 5RR", "In person", "(In-Person)",
    "Book Your Place", "email a@b.example to book", "Registration:", "Date:", "Title:", "\t", "\n", "\n\n",
    "<b>", "</b>", "<sup>th</sup>", "<p>", "</p>", "<li>", "<table><tr><td>", "</td><td>", "Day", "Session",
    "&nbsp;", "&amp;", "•", "# ", "–", "Talk", "A description.", "2026", "\x00", "\u202e", "💡",
]  # fmt: skip
flyer_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join)
html_ish = st.lists(
    st.one_of(
        st.sampled_from(["<", ">", "</", "<!--", "-->", "<![CDATA[", "<!DOCTYPE html>", "&#", ";", "=", '"']),
        st.sampled_from(["p", "li", "td", "tr", "table", "b", "br", "h2", "script", "style", "sup", "span"]),
        st.sampled_from(FRAGMENTS),
        st.text(max_size=8),
    ),
    max_size=50,
).map(lambda parts: "<html><body>" + "".join(parts))


@BOUNDED
@given(text=st.text(max_size=300))
def test_read_flyer_reads_any_text_without_failing(text):
    # Act
    reading = read_flyer(text, today=TODAY)

    # Assert
    assert all(0 <= flag.line <= len(reading.lines) for flag in reading.all_flags())


@BOUNDED
@given(text=flyer_text, year=st.one_of(st.none(), st.integers(min_value=-5, max_value=10_005)))
def test_read_flyer_reads_any_flyer_like_text_without_failing(text, year):
    # Act
    reading = read_flyer(text, today=TODAY, year=year)

    # Assert: every session says where it starts, and each flag where it stands
    assert all(0 < session.line <= len(reading.lines) for session in reading.sessions)
    assert all(0 <= flag.line <= len(reading.lines) for flag in reading.all_flags())


@BOUNDED
@given(text=html_ish)
def test_read_flyer_reads_any_html_like_text_without_failing(text):
    # Act
    reading = read_flyer(text, file_name="flyer.html", today=TODAY)

    # Assert
    assert reading.source_kind in {"html", "text"}


@BOUNDED
@given(content=st.binary(max_size=400), name=st.sampled_from(["", "a.docx", "a.pdf", "a.html", "a.txt", "a.doc"]))
def test_read_flyer_refuses_or_reads_any_bytes_but_never_fails_otherwise(content, name):
    # Act / Assert
    try:
        read_flyer(content, file_name=name, today=TODAY)
    except FlyerUnreadable as refused:
        assert str(refused) != CANNOT_READ  # the reader's last resort: a mistake in it


@BOUNDED
@given(tail=st.binary(max_size=200))
def test_read_flyer_refuses_or_reads_damaged_word_and_pdf_files(tail):
    # Act / Assert: the signatures send these to python-docx and pypdf
    for content in (b"PK\x03\x04" + tail, b"%PDF-1.7\n" + tail):
        try:
            read_flyer(content, today=TODAY)
        except FlyerUnreadable as refused:
            assert str(refused) != CANNOT_READ


def test_read_flyer_reads_a_long_flyer_quickly():
    # Arrange: 2,000 lines of sessions, with long lines and no blank lines to end paragraphs
    day = [
        "Monday 19th January 2026",
        "9.30am – 11am  Understanding Prevent (In-Person)",
        "Where: The Core, Room 3, Theatre Square, Solihull B91 3RG",
        "A description " + "that runs on and on " * 40,
        "Time: 13:00 – 15:00  Delivery: Online MS Teams  Registration: Book Your Place",
    ] * 400
    text = "Long programme\n" + "\n".join(day)

    # Act
    started = time.perf_counter()
    reading = read_flyer(text, today=TODAY)
    elapsed = time.perf_counter() - started

    # Assert
    assert len(reading.sessions) == 800
    assert elapsed < 1.0


def test_read_flyer_pathological_lines_do_not_slow_it_down():
    # Arrange: the kinds of line that make careless patterns backtrack
    lines = [
        "1" * 5000,
        "Monday " * 2000,
        "10:00 - " * 2000,
        "a@" * 3000 + " to book",
        "(" * 3000,
        "Time: " + "9.30 " * 3000,
        "Room, " * 3000,
        "<b>" * 3000,
    ]

    # Act
    started = time.perf_counter()
    for line in lines:
        read_flyer("Title\n" + line, today=TODAY)
    elapsed = time.perf_counter() - started

    # Assert
    assert elapsed < 1.0
