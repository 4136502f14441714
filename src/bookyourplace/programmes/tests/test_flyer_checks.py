"""The warnings beside each row of a flyer's preview."""

import datetime as dt

import pytest

from bookyourplace.programmes.flyers.checks import draft_warnings
from bookyourplace.programmes.flyers.draft import DraftSession


def session(**fields) -> DraftSession:
    """A session with nothing to warn about, changed by ``fields``."""
    values = {
        "date": dt.date(2026, 1, 19),
        "title": "Prevent awareness",
        "start": dt.time(10),
        "end": dt.time(12),
        "delivery": "online",
        "platform": "Microsoft Teams",
    }
    return DraftSession(**(values | fields))


def test_draft_warnings_complete_sessions_have_none():
    # Act
    warnings = draft_warnings([session(), session(title="Hate crime", delivery="in_person", venue="Hub", room="2")])

    # Assert
    assert warnings == [[], []]


@pytest.mark.parametrize(
    ("fields", "warning"),
    [
        ({"title": "  "}, "No title"),
        ({"date": None}, "No date"),
        ({"start": None}, "No start time"),
        ({"end": None}, "No end time"),
        ({"start": dt.time(12), "end": dt.time(10)}, "The end time is not after the start time"),
        ({"start": dt.time(12), "end": dt.time(12)}, "The end time is not after the start time"),
        ({"start": dt.time(6, 30)}, "06:30 is outside 07:00 to 21:00: check am and pm"),
        ({"start": dt.time(20), "end": dt.time(21, 30)}, "21:30 is outside 07:00 to 21:00: check am and pm"),
        ({"delivery": "in_person", "platform": ""}, "In person, but no venue or room given"),
        ({"delivery": "in_person", "venue": "Council House"}, "In person, but no room given"),
        ({"delivery": "in_person", "room": "Room 2"}, "In person, but no venue given"),
    ],
)
def test_draft_warnings_say_what_to_check(fields, warning):
    # Act
    [warnings] = draft_warnings([session(**fields)])

    # Assert
    assert warnings == [warning]


def test_draft_warnings_times_at_the_edges_of_the_day_are_fine():
    # Act
    [warnings] = draft_warnings([session(start=dt.time(7), end=dt.time(21))])

    # Assert
    assert warnings == []


def test_draft_warnings_online_without_a_platform_is_fine():
    # Act
    [warnings] = draft_warnings([session(platform="")])

    # Assert
    assert warnings == []


def test_draft_warnings_a_title_twice_is_warned_on_both_rows():
    # Act
    warnings = draft_warnings([session(), session(title="Hate crime"), session(title=" prevent  AWARENESS")])

    # Assert
    assert warnings == [["Another session has the same title"], [], ["Another session has the same title"]]


def test_draft_warnings_lists_every_problem_of_a_row_in_order():
    # Act
    [warnings] = draft_warnings([session(title="", date=None, start=None, end=None, delivery="in_person")])

    # Assert
    assert warnings == ["No title", "No date", "No start time", "No end time", "In person, but no venue or room given"]
