"""The flyer reader: each kind of flyer councils send reads to exactly the sessions on it."""

import datetime as dt

import pytest
from django.conf import settings

from bookyourplace.programmes.errors import FlyerUnreadable, ProgrammeError
from bookyourplace.programmes.flyers.draft import Flag
from bookyourplace.programmes.flyers.reading import read_flyer
from bookyourplace.programmes.flyers.testing import as_read, expected, pdf_file, scanned_pdf, word_file
from bookyourplace.programmes.seed import parse_flyer

SEED = (settings.BASE_DIR / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")
TODAY = dt.date(2026, 1, 1)
ONLINE_TEAMS = {"delivery": "online", "platform": "Microsoft Teams"}


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


# --- The seed ------------------------------------------------------------------------------------


def test_read_flyer_reads_the_seed_to_the_same_sessions_as_today():
    # Arrange
    parsed = parse_flyer(SEED, today=TODAY)

    # Act
    reading = read_flyer(SEED, today=TODAY)

    # Assert
    assert (reading.title, reading.source_kind, reading.needs_year) == ("Coventry Prevent Week", "seed", False)
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=p.date,
            title=p.title,
            subtitle=p.subtitle,
            start=p.start,
            end=p.end,
            delivery=p.delivery,
            platform=p.platform,
            venue=p.venue,
            room=p.room,
            description_html=p.description_html,
            booking_text="Book Your Place",
            year_inferred=True,
        )
        for p in parsed.sessions
    ]
    assert reading.sessions[4].title == "From Investigation to Conviction: A Local Case Study (In-Person)"
    assert reading.all_flags() == []


def test_read_flyer_reads_the_seed_file_as_uploaded_bytes_alike():
    # Act
    reading = read_flyer(SEED.encode(), file_name="coventry-prevent-week.txt", today=TODAY)

    # Assert
    assert [as_read(s) for s in reading.sessions] == [as_read(s) for s in read_flyer(SEED, today=TODAY).sessions]
    assert reading.sessions[0].date == dt.date(2026, 1, 19)
    assert (reading.sessions[0].line, reading.sessions[0].time_line) == (13, 14)


def test_read_flyer_seed_with_a_line_it_cannot_read_flags_it_instead_of_refusing():
    # Arrange: the Thursday's time as nobody would write it in the seed's layout
    text = SEED.replace("11:45 – 13:45", "quarter to twelve")

    # Act
    reading = read_flyer(text, today=TODAY)

    # Assert: the general reader takes over and says which line to fix
    assert len(reading.sessions) == 6
    thursday = reading.sessions[4]
    assert (thursday.title, thursday.start, thursday.end, thursday.delivery, thursday.venue, thursday.room) == (
        "From Investigation to Conviction: A Local Case Study",
        None,
        None,
        "in_person",
        "Friargate",
        "Room 1.4",
    )
    assert [(flag.line, flag.message) for flag in reading.all_flags()] == [
        (22, "The time “quarter to twelve” could not be read: write it like 10:00 – 12:00 or 10am – 12pm.")
    ]


def test_read_flyer_seed_with_the_year_given_uses_it():
    # Act: from 2030 the weekdays alone would give 2032
    reading = read_flyer(SEED, today=dt.date(2030, 6, 1), year=2026)

    # Assert
    assert [session.date.year for session in reading.sessions] == [2026] * 6
    assert reading.all_flags() == []


# --- A Word table --------------------------------------------------------------------------------

WORD_TABLE = (
    ("heading", "Coventry Safeguarding Training"),
    "Spring 2026",
    [
        ["Day", "Session", "Time", "Where"],
        [
            "Monday 19th January",
            [("bold", "Prevent awareness"), "What Prevent is, and how to make a referral."],
            "10:00 – 12:00",
            "Online, MS Teams",
        ],
        ["", [("bold", "Radicalisation and the internet")], "1pm - 3pm", "Friargate, Room 1.4, Coventry CV1 2GN"],
        ["Wednesday 21 January", "Case study (In person)", "9.30 – 11.00", "Council House"],
    ],
    "Contact prevent@coventry.example with any questions.",
)


def test_read_flyer_word_table_reads_a_session_per_row():
    # Act
    reading = read_flyer(word_file(*WORD_TABLE), file_name="programme.docx", today=TODAY)

    # Assert
    assert (reading.title, reading.source_kind, reading.needs_year) == ("Coventry Safeguarding Training", "docx", False)
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 1, 19),
            title="Prevent awareness",
            start=t(10),
            end=t(12),
            description_html="What Prevent is, and how to make a referral.",
            year_inferred=True,
            **ONLINE_TEAMS,
        ),
        expected(
            date=dt.date(2026, 1, 19),
            title="Radicalisation and the internet",
            start=t(13),
            end=t(15),
            delivery="in_person",
            venue="Friargate",
            room="Room 1.4",
            address="Coventry CV1 2GN",
            year_inferred=True,
        ),
        expected(
            date=dt.date(2026, 1, 21),
            title="Case study",
            start=t(9, 30),
            end=t(11),
            delivery="in_person",
            venue="Council House",
            year_inferred=True,
        ),
    ]


def test_read_flyer_word_table_flags_the_line_below_it_that_belongs_to_no_session():
    # Act
    reading = read_flyer(word_file(*WORD_TABLE), file_name="programme.docx", today=TODAY)

    # Assert
    [flag] = reading.all_flags()
    assert (flag.message, flag.text, reading.lines[flag.line - 1]) == (
        "This line does not belong to any session.",
        "Contact prevent@coventry.example with any questions.",
        "Contact prevent@coventry.example with any questions.",
    )


def test_read_flyer_word_paragraphs_read_in_document_order_around_a_table():
    # Arrange: sessions as paragraphs, then a table of more
    content = word_file(
        ("heading", "Rugby Prevent"),
        "Monday 2 March 2026",
        "Prevent awareness",
        "Time: 10am – 11am",
        "Where: Zoom",
        [["Date", "Title", "Time"], ["Tuesday 3 March 2026", "Hate crime", "14:00-15:00"]],
    )

    # Act
    reading = read_flyer(content, file_name="rugby.docx", today=TODAY)

    # Assert
    assert [(s.date, s.title, s.start, s.end, s.platform) for s in reading.sessions] == [
        (dt.date(2026, 3, 2), "Prevent awareness", t(10), t(11), "Zoom"),
        (dt.date(2026, 3, 3), "Hate crime", t(14), t(15), ""),
    ]


# --- An HTML list --------------------------------------------------------------------------------

HTML_LIST = """<!DOCTYPE html>
<html lang="en"><head><title>Training</title><style>p { color: red }</style></head><body>
<h1>Warwickshire <span class="brand">Prevent</span>&nbsp;Week</h1>
<p>Free training for everyone who works with children and adults in Warwickshire.</p>
<h2>Monday 2<sup>nd</sup> March 2026</h2>
<ul>
  <li><strong>Prevent awareness</strong><br>Time: 10:00&nbsp;–&nbsp;11:30<br>Where: Online via Zoom<br>
  <span style="color:#333">An introduction to the <em>Prevent duty</em> .</span></li>
  <li><strong>Online radicalisation:</strong> <span>what to look for</span><br>
  Time: 13:00 – 14:30<br>Where: Shire Hall, Committee Room 2, Market Square, Warwick CV34 4RL<br>
  Book: email <a href="mailto:prevent@warwickshire.example">prevent@warwickshire.example</a></li>
</ul>
<h2>Tuesday 3<sup>rd</sup> March 2026</h2>
<ul>
  <li><b>Extremism &amp; “conspiracy theories”</b><br>Time: 9.30am – 11am<br>Where: MS Teams</li>
</ul>
<script>document.write("<p>Monday 9 March 2026</p>")</script>
</body></html>"""


def test_read_flyer_html_list_reads_each_item_as_a_session():
    # Act
    reading = read_flyer(HTML_LIST.encode(), file_name="week.html", content_type="text/html", today=TODAY)

    # Assert
    assert (reading.title, reading.source_kind) == ("Warwickshire Prevent Week", "html")
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 3, 2),
            title="Prevent awareness",
            start=t(10),
            end=t(11, 30),
            delivery="online",
            platform="Zoom",
            description_html="An introduction to the <i>Prevent duty</i>.",
        ),
        expected(
            date=dt.date(2026, 3, 2),
            title="Online radicalisation",
            subtitle="what to look for",
            start=t(13),
            end=t(14, 30),
            delivery="in_person",
            venue="Shire Hall",
            room="Committee Room 2",
            address="Market Square, Warwick CV34 4RL",
            booking_text="email prevent@warwickshire.example",
        ),
        expected(
            date=dt.date(2026, 3, 3),
            title="Extremism & “conspiracy theories”",
            start=t(9, 30),
            end=t(11),
            **ONLINE_TEAMS,
        ),
    ]
    assert reading.all_flags() == []


def test_read_flyer_web_page_title_is_its_first_heading():
    # Arrange: a line of the council's site before the flyer's own heading
    page = "<p>Skip to main content</p><h1>Prevent Week</h1><h2>Monday 2 March 2026</h2><p>10am – 11am Talk</p>"

    # Act
    reading = read_flyer(page, today=TODAY)

    # Assert
    assert reading.title == "Prevent Week"


def test_read_flyer_web_page_table_with_headings_and_a_cell_across_columns():
    # Arrange: a day spanning the row, then sessions; the page's <head> is never closed
    page = (
        "<html><head><title>Programme</title><body><h1>Solihull training</h1><table>"
        "<tr><th>Session</th><th>Time</th><th>Where</th></tr>"
        '<tr><td colspan="3">Tuesday 9 June 2026</td></tr>'
        "<tr><td>Prevent awareness</td><td>9.30am – 11am</td><td>Zoom</td></tr>"
        "<tr><td>County lines</td><td>1pm – 2pm</td><td>The Core, Room 3</td></tr>"
        "</table></body></html>"
    )

    # Act
    reading = read_flyer(page, today=TODAY)

    # Assert
    assert reading.title == "Solihull training"
    assert [(s.date, s.title, s.start, s.end, s.platform, s.venue, s.room) for s in reading.sessions] == [
        (dt.date(2026, 6, 9), "Prevent awareness", t(9, 30), t(11), "Zoom", "", ""),
        (dt.date(2026, 6, 9), "County lines", t(13), t(14), "", "The Core", "Room 3"),
    ]
    assert reading.all_flags() == []


def test_read_flyer_pasted_html_fragment_is_read_as_html():
    # Arrange: what a browser's copy gives, as a string
    fragment = "<p><b>Monday 2nd March 2026</b></p><p><b>Prevent awareness</b></p><p>10am&ndash;11am, Zoom</p>"

    # Act
    reading = read_flyer(fragment, today=TODAY)

    # Assert
    assert reading.source_kind == "html"
    assert [(s.date, s.title, s.start, s.end, s.delivery, s.platform) for s in reading.sessions] == [
        (dt.date(2026, 3, 2), "Prevent awareness", t(10), t(11), "online", "Zoom")
    ]


# --- Plain text with am and pm -------------------------------------------------------------------

AM_PM_TEXT = """Solihull Safeguarding Partnership
Training programme, June 2026

Tuesday 9th June
Some text that looks like content but attaches to no session

9.30am – 11am  Understanding Prevent
Online via Microsoft Teams
A short introduction to Prevent and the duty it places on us.
Book your place: email training@solihull.example

12 noon to 1.30pm  Lunch and learn: county lines (In-Person)
The Core, Room 3, Theatre Square, Solihull B91 3RG

2pm - 3.30pm  Working with families
Zoom
Some families need more help than others.
We will look at how to offer it.

Later on, a second paragraph.

Wednesday 10th June
Midday – 1pm: Quick briefing
Venue: Council House, Manor Square, Solihull B91 3QB

Making a referral
Time: half past ten
Where: Online (Webex)
"""


def test_read_flyer_am_pm_text_reads_several_sessions_under_one_day():
    # Act
    reading = read_flyer(AM_PM_TEXT, today=TODAY)

    # Assert
    assert (reading.title, reading.source_kind) == ("Solihull Safeguarding Partnership", "text")
    june_9 = {"date": dt.date(2026, 6, 9), "year_inferred": True}
    june_10 = {"date": dt.date(2026, 6, 10), "year_inferred": True}
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            title="Understanding Prevent",
            start=t(9, 30),
            end=t(11),
            description_html="A short introduction to Prevent and the duty it places on us.",
            booking_text="Book your place: email training@solihull.example",
            **ONLINE_TEAMS,
            **june_9,
        ),
        expected(
            title="Lunch and learn: county lines",
            start=t(12),
            end=t(13, 30),
            delivery="in_person",
            venue="The Core",
            room="Room 3",
            address="Theatre Square, Solihull B91 3RG",
            **june_9,
        ),
        expected(
            title="Working with families",
            start=t(14),
            end=t(15, 30),
            delivery="online",
            platform="Zoom",
            description_html=(
                "<p>Some families need more help than others. We will look at how to offer it.</p>"
                "<p>Later on, a second paragraph.</p>"
            ),
            **june_9,
        ),
        expected(
            title="Quick briefing",
            start=t(12),
            end=t(13),
            delivery="in_person",
            venue="Council House",
            address="Manor Square, Solihull B91 3QB",
            **june_10,
        ),
        expected(title="Making a referral", delivery="online", platform="Webex", **june_10),
    ]


def test_read_flyer_flags_an_unreadable_time_and_a_loose_line_where_they_stand():
    # Act
    reading = read_flyer(AM_PM_TEXT, today=TODAY)

    # Assert
    assert reading.flags == [Flag(5, "This line does not belong to any session.", reading.lines[4])]
    assert reading.lines[4] == "Some text that looks like content but attaches to no session"
    referral = reading.sessions[-1]
    assert referral.flags == [
        Flag(
            27,
            "The time “half past ten” could not be read: write it like 10:00 – 12:00 or 10am – 12pm.",
            "Time: half past ten",
        )
    ]
    assert (referral.line, referral.time_line, referral.date_line) == (26, 27, 22)


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("13:00 – 15:00", t(13), t(15)),
        ("9.30am – 11am", t(9, 30), t(11)),
        ("9:30 am - 11:00 am", t(9, 30), t(11)),
        ("12 noon to 1.30pm", t(12), t(13, 30)),
        ("noon – 1pm", t(12), t(13)),
        ("midday to 2pm", t(12), t(14)),
        ("10am - 12pm", t(10), t(12)),
        ("9.30 – 11.00", t(9, 30), t(11)),
        ("1pm—2pm", t(13), t(14)),
        ("11 – 1pm", t(11), t(13)),
        ("1.30 - 3.30", t(13, 30), t(15, 30)),
        ("6pm until 8", t(18), t(20)),
        ("from 10:00 to 12:30", t(10), t(12, 30)),
        ("13:00hrs - 15:00hrs", t(13), t(15)),
        ("10 – 12", t(10), t(12)),
        ("1pm", t(13), None),
    ],
)
def test_read_flyer_reads_the_times_flyers_write(written, start, end):
    # Arrange
    text = f"Monday 19 January 2026\nTalk\nTime: {written}\nOnline\n"

    # Act
    [session] = read_flyer(text, today=TODAY).sessions

    # Assert
    assert (session.start, session.end, session.flags) == (start, end, [])


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("Monday 19th January 2026", dt.date(2026, 1, 19)),
        ("Mon 19 Jan 2026", dt.date(2026, 1, 19)),
        ("19/01/2026", dt.date(2026, 1, 19)),
        ("19.01.26", dt.date(2026, 1, 19)),
        ("2026-01-19", dt.date(2026, 1, 19)),
        ("Tuesday, 3rd March", dt.date(2026, 3, 3)),
        ("Thurs 5th of February 2026", dt.date(2026, 2, 5)),
        ("January 19th, 2026", dt.date(2026, 1, 19)),
        ("Monday 19 th January", dt.date(2026, 1, 19)),
    ],
)
def test_read_flyer_reads_the_dates_flyers_write(written, date):
    # Arrange
    text = f"Programme\n{written}\nTalk\nTime: 10:00 – 11:00\nZoom\n"

    # Act
    [session] = read_flyer(text, today=TODAY).sessions

    # Assert
    assert (session.date, session.flags) == (date, [])


def test_read_flyer_sessions_with_the_time_on_the_day_line():
    # Arrange
    text = "Monday 19 January 2026, 10am – 12pm: Prevent awareness\nTeams\n19/01/2026 14:00 – 15:00 Hate crime\n"

    # Act
    reading = read_flyer(text, today=TODAY)

    # Assert
    assert [(s.date, s.start, s.end, s.title, s.platform) for s in reading.sessions] == [
        (dt.date(2026, 1, 19), t(10), t(12), "Prevent awareness", "Microsoft Teams"),
        (dt.date(2026, 1, 19), t(14), t(15), "Hate crime", ""),
    ]


def test_read_flyer_session_with_no_time_is_flagged_on_its_title():
    # Arrange
    text = "Warwick training\n\nMonday 19 January 2026\nPrevent awareness\nOnline via Teams\nAll welcome.\n"

    # Act
    [session] = read_flyer(text, today=TODAY).sessions

    # Assert
    assert (session.title, session.start, session.description_html) == ("Prevent awareness", None, "All welcome.")
    assert session.flags == [Flag(4, "No time was found for this session.", "Prevent awareness")]


TITLE_FIRST = """Warwickshire Safeguarding Adults Board
Learning and development 2026

Self-neglect and hoarding
Date: Tuesday 3 March 2026
Time: 10.00am-12.00pm
Venue: Online via MS Teams
This session explores self-neglect.
It is for all staff.

Mental Capacity Act
An introduction for managers
Date: Thursday 5th March 2026
Time: 1.30 - 4.30
Venue: Shire Hall, Warwick
Booking: via the learning portal
"""


def test_read_flyer_sessions_with_their_own_date_under_their_title():
    # Act
    reading = read_flyer(TITLE_FIRST, today=TODAY)

    # Assert
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 3, 3),
            title="Self-neglect and hoarding",
            start=t(10),
            end=t(12),
            description_html="This session explores self-neglect. It is for all staff.",
            **ONLINE_TEAMS,
        ),
        expected(
            date=dt.date(2026, 3, 5),
            title="Mental Capacity Act",
            subtitle="An introduction for managers",
            start=t(13, 30),
            end=t(16, 30),
            delivery="in_person",
            venue="Shire Hall",
            address="Warwick",
            booking_text="via the learning portal",
        ),
    ]
    assert reading.all_flags() == []


def test_read_flyer_day_line_that_says_where_the_session_is():
    # Act
    [session] = read_flyer("Week\nMonday 19 January 2026 – Online via Zoom\nTalk\n10am – 11am\n").sessions

    # Assert
    assert (session.title, session.delivery, session.platform, session.start) == ("Talk", "online", "Zoom", t(10))


# --- A PDF ---------------------------------------------------------------------------------------

PDF_HTML = """<html><body>
<h1>Leamington Prevent Week</h1>
<p>All sessions are free.</p>
<h2>Monday 19<sup>th</sup> January 2026</h2>
<h3>Prevent awareness</h3>
<p>Time: 10:00 – 12:00</p>
<p>Where: Online, Microsoft Teams</p>
<p>An introduction to Prevent for everyone who works with children and young people in Warwickshire,
covering the duty, the signs and how to make a referral.</p>
<h3>Safeguarding adults (face to face)</h3>
<p>Time: 1pm – 2.30pm</p>
<p>Where: Town Hall, Room 4, Parade, Leamington Spa CV32 4AT</p>
<h2>Tuesday 20<sup>th</sup> January 2026</h2>
<h3>Online harms</h3>
<p>Time: 9.30am – 11am</p>
<p>Where: Zoom</p>
<p>Register at www.leamington.example/prevent</p>
</body></html>"""


def test_read_flyer_pdf_reads_its_text_in_reading_order():
    # Act
    reading = read_flyer(pdf_file(PDF_HTML), file_name="week.pdf", content_type="application/pdf", today=TODAY)

    # Assert
    assert (reading.title, reading.source_kind) == ("Leamington Prevent Week", "pdf")
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 1, 19),
            title="Prevent awareness",
            start=t(10),
            end=t(12),
            description_html=(
                "An introduction to Prevent for everyone who works with children and young people in "
                "Warwickshire, covering the duty, the signs and how to make a referral."
            ),
            **ONLINE_TEAMS,
        ),
        expected(
            date=dt.date(2026, 1, 19),
            title="Safeguarding adults",
            start=t(13),
            end=t(14, 30),
            delivery="in_person",
            venue="Town Hall",
            room="Room 4",
            address="Parade, Leamington Spa CV32 4AT",
        ),
        expected(
            date=dt.date(2026, 1, 20),
            title="Online harms",
            start=t(9, 30),
            end=t(11),
            delivery="online",
            platform="Zoom",
            booking_text="Register at www.leamington.example/prevent",
        ),
    ]
    assert reading.all_flags() == []


# --- Years ---------------------------------------------------------------------------------------

NO_YEARS = """Kenilworth winter briefings

Tuesday, 1st December
Keeping children safe online
Time: 18:00 – 19:30
Where: Online (Google Meet)

Mon 18 Jan
Hate crime awareness
Time: 10:00 – 11:00
Where: Kenilworth Library, Smalley Place, Kenilworth CV8 1QG
Places are limited.

Wednesday 3rd March
In person: Radicalisation briefing
Time: 2pm - 3pm
Where: Abbey Fields Pavilion
"""


def test_read_flyer_without_years_places_each_date_by_its_weekday_nearest_today():
    # Act
    reading = read_flyer(NO_YEARS, today=dt.date(2026, 11, 25))

    # Assert: 1 December 2026 is a Tuesday; 18 January and 3 March are a Monday and a Wednesday in 2027
    assert reading.needs_year is False
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 12, 1),
            title="Keeping children safe online",
            start=t(18),
            end=t(19, 30),
            delivery="online",
            platform="Google Meet",
            year_inferred=True,
        ),
        expected(
            date=dt.date(2027, 1, 18),
            title="Hate crime awareness",
            start=t(10),
            end=t(11),
            delivery="in_person",
            venue="Kenilworth Library",
            address="Smalley Place, Kenilworth CV8 1QG",
            description_html="Places are limited.",
            year_inferred=True,
        ),
        expected(
            date=dt.date(2027, 3, 3),
            title="Radicalisation briefing",
            start=t(14),
            end=t(15),
            delivery="in_person",
            venue="Abbey Fields Pavilion",
            year_inferred=True,
        ),
    ]
    assert reading.all_flags() == []


MONTH_END = """Rugby Safeguarding Week
April–May 2026

Thursday 30th April
10am – 12pm  Prevent awareness
Online via Teams

Friday 1st May
2pm – 4pm  Hate crime
In person – Rugby Town Hall, Evreux Way, Rugby CV21 2RR
Bring a colleague.

Monday 4th May
09:30 – 10:30  Referrals
Zoom
"""


def test_read_flyer_spanning_a_month_end_takes_the_year_from_the_top():
    # Act: read long after, when the weekdays alone would fit other years better
    reading = read_flyer(MONTH_END, today=dt.date(2031, 6, 1))

    # Assert
    assert [as_read(session) for session in reading.sessions] == [
        expected(
            date=dt.date(2026, 4, 30),
            title="Prevent awareness",
            start=t(10),
            end=t(12),
            year_inferred=True,
            **ONLINE_TEAMS,
        ),
        expected(
            date=dt.date(2026, 5, 1),
            title="Hate crime",
            start=t(14),
            end=t(16),
            delivery="in_person",
            venue="Rugby Town Hall",
            address="Evreux Way, Rugby CV21 2RR",
            description_html="Bring a colleague.",
            year_inferred=True,
        ),
        expected(
            date=dt.date(2026, 5, 4),
            title="Referrals",
            start=t(9, 30),
            end=t(10, 30),
            delivery="online",
            platform="Zoom",
            year_inferred=True,
        ),
    ]


AMBIGUOUS_YEAR = "Nuneaton training\n\n19 January\nPrevent awareness\nTime: 10am – 12pm\nOnline\n"


def test_read_flyer_date_without_weekday_or_year_asks_for_the_year():
    # Act
    reading = read_flyer(AMBIGUOUS_YEAR, today=dt.date(2026, 11, 25))

    # Assert
    [session] = reading.sessions
    assert (reading.needs_year, session.date, session.year_inferred, session.year_doubtful) == (
        True,
        dt.date(2027, 1, 19),
        True,
        True,
    )
    assert session.flags == [
        Flag(
            3,
            "19 January has no year and no day of the week, so the year is a guess (2027): say which year.",
            "19 January",
        )
    ]


def test_read_flyer_with_the_year_given_uses_it_for_dates_without_one():
    # Act
    reading = read_flyer(AMBIGUOUS_YEAR, today=dt.date(2026, 11, 25), year=2026)

    # Assert
    [session] = reading.sessions
    assert (reading.needs_year, session.date, session.year_doubtful, session.flags) == (
        False,
        dt.date(2026, 1, 19),
        False,
        [],
    )


def test_read_flyer_weekday_that_fits_no_nearby_year_is_flagged_and_doubtful():
    # Arrange: 29 February is not a Wednesday in any leap year near 2026
    text = "Training\nWednesday 29th February\nTalk\nTime: 10:00 – 11:00\nZoom\n"

    # Act
    reading = read_flyer(text, today=dt.date(2026, 1, 1))

    # Assert
    [session] = reading.sessions
    assert (reading.needs_year, session.year_doubtful) == (True, True)
    assert [(flag.line, flag.message) for flag in session.flags] == [
        (2, "Wednesday 29th February is not a Wednesday in any year near 2026: check the date and say which year.")
    ]


def test_read_flyer_date_whose_weekday_is_wrong_for_its_year_is_flagged():
    # Act
    [session] = read_flyer("Training\nTuesday 19 January 2026\nTalk\n10:00 – 11:00\n", today=TODAY).sessions

    # Assert
    assert session.date == dt.date(2026, 1, 19)
    assert [(flag.line, flag.message) for flag in session.flags] == [
        (
            2,
            "Tuesday 19 January 2026: 19 January 2026 is a Monday, not a Tuesday. Check the day and date.",
        )
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Monday 30 February", "There is no 30 February: check the date."),
        ("30 February 2026", "There is no 30 February 2026: check the date."),
        ("Date: TBC", "“TBC” has no date: say which date."),
    ],
)
def test_read_flyer_date_that_is_not_a_date_leaves_the_date_empty_and_says_why(written, message):
    # Act
    [session] = read_flyer(f"Training\n{written}\nTalk\nTime: 10:00 – 11:00\nZoom\n", today=TODAY).sessions

    # Assert
    assert (session.date, session.year_doubtful, [(f.line, f.message) for f in session.flags]) == (
        None,
        False,
        [(2, message)],
    )


# --- Titles and places ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "title", "delivery", "platform"),
    [
        ("Local Case Study (In-Person)", "Local Case Study", "in_person", ""),
        ("Local Case Study (In person)", "Local Case Study", "in_person", ""),
        ("Local Case Study – Face to face", "Local Case Study", "in_person", ""),
        ("In-Person: Local Case Study", "Local Case Study", "in_person", ""),
        ("Local Case Study (Online)", "Local Case Study", "online", ""),
        ("Local Case Study (MS Teams)", "Local Case Study", "online", "Microsoft Teams"),
        ("Order of Nine Angles (O9A)", "Order of Nine Angles (O9A)", "", ""),
        ("Online safety for parents", "Online safety for parents", "", ""),
    ],
)
def test_read_flyer_delivery_marked_in_a_title_is_taken_out_of_it(written, title, delivery, platform):
    # Act
    [session] = read_flyer(f"Training\nMonday 19 January 2026\n10:00 – 11:00 {written}\n", today=TODAY).sessions

    # Assert
    assert (session.title, session.delivery, session.platform) == (title, delivery, platform)


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("Where: Online MS Teams", ("online", "Microsoft Teams", "", "", "")),
        ("Location: Microsoft Teams", ("online", "Microsoft Teams", "", "", "")),
        ("Delivery: Online via Google Meet", ("online", "Google Meet", "", "", "")),
        ("Platform: Webex", ("online", "Webex", "", "", "")),
        ("Venue: Friargate Room 1.4", ("in_person", "", "Friargate", "Room 1.4", "")),
        (
            "Venue: Council House, Committee Room 2, Earl Street, Coventry CV1 5RR",
            ("in_person", "", "Council House", "Committee Room 2", "Earl Street, Coventry CV1 5RR"),
        ),
        ("Where: In person at The Hub", ("in_person", "", "The Hub", "", "")),
        ("Face to face – Shire Hall", ("in_person", "", "Shire Hall", "", "")),
        ("Online", ("online", "", "", "", "")),
    ],
)
def test_read_flyer_reads_where_a_session_is(written, place):
    # Act
    [session] = read_flyer(f"Training\nMonday 19 January 2026\nTalk\nTime: 10:00 – 11:00\n{written}\n").sessions

    # Assert
    assert (session.delivery, session.platform, session.venue, session.room, session.address) == place


@pytest.mark.parametrize(
    "written",
    [
        "Book Your Place",
        "Register",
        "Register at www.example.org/prevent",
        "Email prevent@coventry.example to book",
        "To book, email prevent@coventry.example",
        "Booking is essential: call 024 7683 1234",
        "Registration: https://www.example.org/book",
    ],
)
def test_read_flyer_reads_how_to_book(written):
    # Act
    [session] = read_flyer(f"Training\nMonday 19 January 2026\nTalk\n10am – 11am\n{written}\n").sessions

    # Assert
    assert (session.booking_text, session.description_html) == (written.removeprefix("Registration: "), "")


def test_read_flyer_details_without_a_place_in_the_draft_go_in_the_description():
    # Arrange
    text = (
        "Training\nMonday 19 January 2026\nTalk\nTime: 10:00 – 11:00  Where: Zoom\n"
        "Speaker: Jo Bloggs, Prevent Lead\nDescription: What Prevent is.\n"
    )

    # Act
    [session] = read_flyer(text, today=TODAY).sessions

    # Assert
    assert (session.start, session.platform, session.description_html) == (
        t(10),
        "Zoom",
        "<p>Speaker: Jo Bloggs, Prevent Lead</p><p>What Prevent is.</p>",
    )


def test_read_flyer_description_is_sanitised_to_simple_formatting():
    # Arrange
    text = (
        "<h2>Monday 19 January 2026</h2><h3>Talk</h3><p>10:00 – 11:00, Zoom</p>"
        '<p onclick="x()">Learn <b>why</b> <a href="javascript:alert(1)">here</a>'
        "<img src=x onerror=alert(1)>.</p><p><script>alert(2)</script>“Smart” quotes &amp; more</p>"
    )

    # Act
    [session] = read_flyer(text, today=TODAY).sessions

    # Assert
    assert session.description_html == "<p>Learn <b>why</b> here.</p><p>“Smart” quotes &amp; more</p>"


def test_read_flyer_bullets_and_markdown_headings_of_pasted_text_are_not_part_of_the_text():
    # Arrange
    text = "# Training week\n\n## Monday 19 January 2026\n• 10am – 11am Prevent awareness\n• Online via Zoom\n"

    # Act
    reading = read_flyer(text, today=TODAY)

    # Assert
    assert reading.title == "Training week"
    assert [(s.title, s.start, s.platform) for s in reading.sessions] == [("Prevent awareness", t(10), "Zoom")]


def test_read_flyer_pasted_table_with_headings_reads_a_session_per_row():
    # Arrange: a Word table copied and pasted: tab-separated cells
    text = (
        "Training\n"
        "Day\tSession\tTime\tWhere\n"
        "Monday 19 January 2026\tPrevent awareness\t10:00 – 12:00\tTeams\n"
        "\tHate crime\tTBC\tCouncil House\n"
    )

    # Act
    reading = read_flyer(text, today=TODAY)

    # Assert
    first, second = reading.sessions
    assert (first.title, first.start, first.platform) == ("Prevent awareness", t(10), "Microsoft Teams")
    assert (second.date, second.title, second.start, second.venue) == (
        dt.date(2026, 1, 19),
        "Hate crime",
        None,
        "Council House",
    )
    assert [(flag.line, flag.message) for flag in second.flags] == [
        (4, "The time “TBC” could not be read: write it like 10:00 – 12:00 or 10am – 12pm.")
    ]


# --- Nothing to read, and files that cannot be opened --------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\n", b""])
def test_read_flyer_empty_flyer_has_no_sessions_and_says_so(content):
    # Act
    reading = read_flyer(content, today=TODAY)

    # Assert
    assert (reading.sessions, reading.title) == ([], "Imported programme")
    assert [flag.message for flag in reading.flags] == [
        "No sessions were found: each session needs a date, a title and a time."
    ]


def test_read_flyer_corrupt_word_file_is_refused_with_what_to_do():
    # Arrange: a real .docx cut short, as a failed upload leaves it
    content = word_file(*WORD_TABLE)[:2000]

    # Act / Assert
    with pytest.raises(FlyerUnreadable, match=r"^This Word file could not be opened: it may be damaged\."):
        read_flyer(content, file_name="programme.docx")


def test_read_flyer_file_named_docx_that_is_not_one_is_refused():
    # Act / Assert
    with pytest.raises(FlyerUnreadable, match="This Word file could not be opened"):
        read_flyer(b"\x00\x01 not a word file", file_name="programme.docx")


def test_read_flyer_scanned_pdf_is_refused_as_having_no_text():
    # Act / Assert
    with pytest.raises(FlyerUnreadable) as raised:
        read_flyer(scanned_pdf(), file_name="scan.pdf")
    assert str(raised.value) == (
        "This PDF has no text in it: it may be a scan. Paste the text instead, or upload the Word file."
    )
    assert isinstance(raised.value, ProgrammeError)


def test_read_flyer_password_protected_pdf_is_refused():
    # Arrange
    import pypdf

    reader = pypdf.PdfReader(__import__("io").BytesIO(pdf_file(PDF_HTML)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = __import__("io").BytesIO()
    writer.write(out)

    # Act / Assert
    with pytest.raises(FlyerUnreadable, match="protected with a password"):
        read_flyer(out.getvalue(), file_name="locked.pdf")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_file("<p>x</p>")[:300], "This PDF could not be opened"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "older Word file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not one that can be read"),
        (bytes(range(256)) * 20, "not one that can be read"),
        (bytes(600), "not one that can be read"),
    ],
)
def test_read_flyer_files_of_other_kinds_are_refused(content, message):
    # Act / Assert
    with pytest.raises(FlyerUnreadable, match=message):
        read_flyer(content, file_name="upload")


def test_read_flyer_windows_encoded_text_is_read():
    # Arrange: saved from Notepad in Windows-1252, with a smart dash and quotes
    content = "Training\nMonday 19 January 2026\n‘Prevent’ awareness\n10:00 – 11:00\nTeams\n".encode("cp1252")

    # Act
    [session] = read_flyer(content, file_name="flyer.txt", today=TODAY).sessions

    # Assert
    assert (session.title, session.start, session.end) == ("‘Prevent’ awareness", t(10), t(11))
