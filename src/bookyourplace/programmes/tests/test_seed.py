import datetime as dt

import pytest
from django.conf import settings

from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.seed import SeedFormatError, parse_flyer

FLYER = (settings.BASE_DIR / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 25)

EXPECTED_SESSIONS = [
    (
        dt.date(2026, 1, 19),
        "School Massacre Phenomenon",
        "High-School Violence, Online Narratives and Prevent",
        dt.time(13, 0),
        dt.time(15, 0),
    ),
    (
        dt.date(2026, 1, 20),
        "The COM Network",
        "Online Harm, Cybercrime and Prevent Awareness. Including ‘764’",
        dt.time(10, 0),
        dt.time(12, 0),
    ),
    (
        dt.date(2026, 1, 21),
        "Order of Nine Angles (O9A)",
        "Occultist Extremism and Prevent",
        dt.time(9, 30),
        dt.time(11, 30),
    ),
    (dt.date(2026, 1, 21), "Self-Initiated Terrorism", "", dt.time(13, 0), dt.time(14, 30)),
    (
        dt.date(2026, 1, 22),
        "From Investigation to Conviction: A Local Case Study (In-Person)",
        "",
        dt.time(11, 45),
        dt.time(13, 45),
    ),
    (
        dt.date(2026, 1, 23),
        "Misogyny and the Manosphere: Online Extremism and Violence",
        "",
        dt.time(10, 0),
        dt.time(12, 0),
    ),
]


def flyer(*rows: str) -> str:
    """A minimal flyer: the title on line 1, then the rows from line 2."""
    return "\n".join(["# Test Week", *rows]) + "\n"


# --- The Coventry flyer -----------------------------------------------------------------------


def test_parse_flyer_reads_the_title_line():
    # Act
    programme = parse_flyer(FLYER, today=TODAY)

    # Assert
    assert programme.title == "Coventry Prevent Week"


def test_parse_flyer_reads_all_six_sessions_in_order():
    # Act
    programme = parse_flyer(FLYER, today=TODAY)

    # Assert
    assert [(s.date, s.title, s.subtitle, s.start, s.end) for s in programme.sessions] == EXPECTED_SESSIONS


def test_parse_flyer_online_sessions_use_microsoft_teams():
    # Act
    sessions = parse_flyer(FLYER, today=TODAY).sessions

    # Assert
    online = [s for s in sessions if s.delivery == "online"]
    assert [s.date.day for s in online] == [19, 20, 21, 21, 23]
    assert {(s.platform, s.venue, s.room) for s in online} == {("Microsoft Teams", "", "")}


def test_parse_flyer_in_person_session_splits_venue_and_room():
    # Act
    thursday = parse_flyer(FLYER, today=TODAY).sessions[4]

    # Assert
    assert (thursday.delivery, thursday.platform, thursday.venue, thursday.room) == (
        "in_person",
        "",
        "Friargate",
        "Room 1.4",
    )


def test_parse_flyer_description_keeps_simple_formatting_and_tidies_spacing():
    # Act
    monday = parse_flyer(FLYER, today=TODAY).sessions[0]

    # Assert
    assert monday.description_html.startswith(
        "Providing an overview of the <i>school massacre phenomenon</i>, focusing"
    )
    assert monday.description_html.endswith("how to respond appropriately within their professional role.")
    assert "  " not in monday.description_html


def test_parse_flyer_description_keeps_bold_phrases():
    # Act
    tuesday = parse_flyer(FLYER, today=TODAY).sessions[1]

    # Assert
    assert "<b>COM network (also known as “The Community”)</b>, an international" in tuesday.description_html
    assert "<b>Prevent</b>, safeguarding" in tuesday.description_html


def test_parse_flyer_sessions_without_a_description_cell_get_an_empty_one():
    # Act
    sessions = parse_flyer(FLYER, today=TODAY).sessions

    # Assert
    assert [s.description_html == "" for s in sessions] == [False, False, False, False, True, True]


# --- Layouts and fields -------------------------------------------------------------------------


def test_parse_flyer_without_a_title_line_uses_the_fallback_title():
    # Arrange
    text = "<b>Monday 19th January</b>\t<b>Talk</b>\n<b>Time:</b> 10:00 - 11:00 <b>Delivery:</b> Online Zoom\n"

    # Act
    programme = parse_flyer(text, today=TODAY)

    # Assert
    assert programme.title == "Imported programme"


def test_parse_flyer_with_hyphen_and_zoom_reads_time_and_platform():
    # Arrange
    text = flyer("<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Time:</b> 09:00-10:30  <b>Delivery:</b> Online Zoom")

    # Act
    session = parse_flyer(text, today=TODAY).sessions[0]

    # Assert
    assert (session.start, session.end, session.delivery, session.platform) == (
        dt.time(9, 0),
        dt.time(10, 30),
        "online",
        "Zoom",
    )


def test_parse_flyer_venue_without_room_keeps_the_whole_text_as_venue():
    # Arrange
    text = flyer(
        "<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Time:</b> 09:00 – 10:00  <b>Delivery:</b> Council House"
    )

    # Act
    session = parse_flyer(text, today=TODAY).sessions[0]

    # Assert
    assert (session.delivery, session.venue, session.room) == ("in_person", "Council House", "")


def test_parse_flyer_paragraph_layout_with_subtitle_splits_title():
    # Arrange
    text = flyer(
        "<b>Monday 19th January</b>\t<p><b>Talk:</b> A subtitle.</p> <p><b>Time:</b> 09:00 – 10:00</p> "
        "<p><b>Delivery:</b> Online MS Teams</p>\tA <i>short</i> description ."
    )

    # Act
    session = parse_flyer(text, today=TODAY).sessions[0]

    # Assert
    assert (session.title, session.subtitle, session.description_html) == (
        "Talk",
        "A subtitle",
        "A <i>short</i> description.",
    )


def test_parse_flyer_description_drops_unsafe_markup():
    # Arrange
    text = flyer(
        "<b>Monday 19th January</b>\t<b>Talk</b>",
        '<b>Time:</b> 09:00 – 10:00 <b>Delivery:</b> Teams\t<script>alert(1)</script><a href="x">Read</a> <b>on</b>',
    )

    # Act
    session = parse_flyer(text, today=TODAY).sessions[0]

    # Assert
    assert session.description_html == "Read <b>on</b>"
    assert session.platform == "Microsoft Teams"


# --- Year inference -----------------------------------------------------------------------------


def test_parse_flyer_year_is_the_one_where_the_weekday_matches_nearest_today():
    # Act
    session = parse_flyer(FLYER, today=dt.date(2026, 11, 25)).sessions[0]

    # Assert
    assert session.date == dt.date(2026, 1, 19)


def test_parse_flyer_year_when_a_later_match_is_nearer_today_picks_the_later_year():
    # Act: 19 January is a Monday in 2026 and 2032; mid-2030 is nearer 2032.
    session = parse_flyer(FLYER, today=dt.date(2030, 6, 1)).sessions[0]

    # Assert
    assert session.date == dt.date(2032, 1, 19)


def test_parse_flyer_date_matching_no_nearby_year_raises():
    # Arrange: 29 February is not a Wednesday in any leap year from 2016 to 2036.
    text = flyer("<b>Wednesday 29th February</b>\t<b>Talk</b>", "<b>Time:</b> 09:00 – 10:00 <b>Delivery:</b> Teams")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 2: Wednesday 29 February does not fall on a Wednesday"):
        parse_flyer(text, today=TODAY)


# --- Errors -------------------------------------------------------------------------------------


def test_parse_flyer_malformed_time_names_the_line():
    # Arrange
    text = flyer("<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Time:</b> 1pm to 3pm  <b>Delivery:</b> Online MS Teams")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 3: expected 'Time: HH:MM – HH:MM'$"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_malformed_time_in_the_demo_flyer_names_its_line():
    # Arrange
    text = FLYER.replace("11:45 – 13:45", "11.45 until 13.45")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 22: expected 'Time: HH:MM – HH:MM'$"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_end_before_start_raises():
    # Arrange
    text = flyer("<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Time:</b> 15:00 – 13:00 <b>Delivery:</b> Teams")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 3: the session must end after it starts"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_missing_delivery_names_the_line():
    # Arrange
    text = flyer("<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Time:</b> 09:00 – 10:00")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 3: expected 'Delivery: Online MS Teams'"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_heading_without_details_names_the_line():
    # Arrange
    text = flyer("<b>Monday 19th January</b>\t<b>Talk</b>", "<b>Tuesday 20th January</b>\t<b>Another</b>")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 2: expected 'Time: HH:MM – HH:MM' after the session title$"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_heading_without_title_names_the_line():
    # Arrange
    text = flyer("<b>Monday 19th January</b>")

    # Act / Assert
    with pytest.raises(SeedFormatError, match=r"^line 2: expected the session title after the day"):
        parse_flyer(text, today=TODAY)


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_parse_flyer_empty_text_raises(text):
    # Act / Assert
    with pytest.raises(SeedFormatError, match="the file is empty"):
        parse_flyer(text, today=TODAY)


def test_parse_flyer_without_sessions_raises():
    # Arrange
    text = flyer("Monday 19th January – Friday 23rd January", "SAFEGUARDING AGAINST RADICALISATION")

    # Act / Assert
    with pytest.raises(SeedFormatError, match="no sessions found"):
        parse_flyer(text, today=TODAY)


def test_a_flyer_that_cannot_be_read_is_refused_like_any_programme_rule():
    # Assert: every face that turns a ProgrammeError into its own form shows the line to fix
    with pytest.raises(ProgrammeError, match="^the file is empty"):
        parse_flyer("", today=TODAY)
