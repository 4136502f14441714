"""Reading the file Teams gives: every encoding, both layouts, UK and US dates, repeated
joins, odd names, and files that are not a report (or are crafted) refused with a reason."""

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookyourplace.attendance.errors import TeamsReportError
from bookyourplace.attendance.teams_report import (
    ATTENDEE,
    ORGANISER,
    PRESENTER,
    parse_duration,
    read_report,
)
from bookyourplace.attendance.testing import ENCODINGS, Attendee, ReportStyle, participants_of, write_report

MEETING = datetime(2026, 1, 20, 10, 0)

ALEX = Attendee("Alex Smith", "alex.smith@coventry.gov.uk", stays=[(0, 120)])
BEA = Attendee("Bea Jones", "bea.jones@nhs.net", stays=[(2, 60)])


def read(people, **style) -> dict[str, tuple[str, int]]:
    return participants_of(read_report(write_report(people, starts_at=MEETING, **style)))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_teams_writes_is_read(encoding):
    report = read_report(write_report([ALEX, BEA], starts_at=MEETING, encoding=encoding))

    assert participants_of(report) == {
        "Alex Smith": ("alex.smith@coventry.gov.uk", 120 * 60),
        "Bea Jones": ("bea.jones@nhs.net", 60 * 60),
    }
    assert (report.title, report.starts_at, report.meeting_date) == (
        "Prevent awareness briefing",
        MEETING,
        date(2026, 1, 20),
    )


def test_utf16_big_endian_starts_with_its_own_bom():
    data = write_report([ALEX], starts_at=MEETING, encoding="utf-16-be")

    assert data[:2] == b"\xfe\xff"
    assert read_report(data).participants[0].name == "Alex Smith"


def test_the_older_flat_report_of_joins_and_leaves_is_read():
    people = [Attendee("Alex Smith", stays=[(0, 30), (40, 80)]), Attendee("Bea Jones", stays=[(5, 20)])]

    report = read_report(write_report(people, starts_at=MEETING, layout="flat"))

    assert report.layout == "flat"
    assert participants_of(report) == {"Alex Smith": ("", 110 * 60), "Bea Jones": ("", 20 * 60)}


def test_a_join_with_no_leave_in_the_flat_report_runs_to_the_last_moment_in_it():
    text = (
        "Full Name\tUser Action\tTimestamp\r\n"
        "Alex Smith\tJoined\t20/01/2026, 10:00:00\r\n"
        "Bea Jones\tJoined\t20/01/2026, 10:30:00\r\n"
        "Alex Smith\tLeft\t20/01/2026, 12:00:00\r\n"
    )

    report = read_report(b"\xff\xfe" + text.encode("utf-16-le"))

    assert participants_of(report)["Bea Jones"] == ("", 90 * 60)


def test_repeated_joins_are_added_up():
    dropped_out = Attendee("Alex Smith", "alex@example.org", stays=[(0, 40), (45, 30), (80, 40)])

    assert read([dropped_out]) == {"Alex Smith": ("alex@example.org", 110 * 60)}


def test_joins_that_overlap_two_devices_count_once():
    text = (
        "1. Summary\nMeeting title\tBriefing\nStart time\t20/01/2026, 10:00:00\nEnd time\t20/01/2026, 12:00:00\n\n"
        "2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
        "Alex Smith\t20/01/2026, 10:00:00\t20/01/2026, 11:30:00\t2h 0m 0s\talex@example.org\tAttendee\n\n"
        "3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
        "Alex Smith\t20/01/2026, 10:00:00\t20/01/2026, 11:00:00\t1h 0m 0s\talex@example.org\tAttendee\n"
        "Alex Smith\t20/01/2026, 10:30:00\t20/01/2026, 11:30:00\t1h 0m 0s\talex@example.org\tAttendee\n"
    )

    assert participants_of(read_report(text.encode()))["Alex Smith"] == ("alex@example.org", 90 * 60)


def test_without_activities_the_participants_in_meeting_duration_counts():
    assert read([ALEX, BEA], layout="participants-only") == {
        "Alex Smith": ("alex.smith@coventry.gov.uk", 120 * 60),
        "Bea Jones": ("bea.jones@nhs.net", 60 * 60),
    }


@pytest.mark.parametrize("layout", ["sectioned", "flat"])
def test_us_dates_are_read_month_first(layout):
    report = read_report(write_report([ALEX], starts_at=datetime(2026, 1, 5, 14, 0), dates="us", layout=layout))

    # 1/5/26 alone could be 1 May; the 12-hour clock says a US computer wrote it.
    assert report.starts_at == datetime(2026, 1, 5, 14, 0)


def test_a_day_over_twelve_settles_the_order_for_the_whole_file():
    report = read_report(write_report([ALEX], starts_at=datetime(2026, 1, 20, 9, 0), dates="us"))

    assert report.starts_at == datetime(2026, 1, 20, 9, 0)


def test_when_no_date_settles_the_order_the_sessions_date_does():
    # 05/06/2026 written the UK way: 5 June, or 6 May to a US reader.
    data = write_report([ALEX], starts_at=datetime(2026, 6, 5, 10, 0), dates="uk")

    assert read_report(data, meeting_date=date(2026, 6, 5)).meeting_date == date(2026, 6, 5)
    assert read_report(data, meeting_date=date(2026, 5, 6)).meeting_date == date(2026, 5, 6)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h 27m 51s", 5271), ("45m 3s", 2703), ("19s", 19), ("2h", 7200), ("1:27:51", 5271), ("0s", 0)],
)
def test_durations_as_teams_and_excel_write_them(text, seconds):
    assert parse_duration(text) == seconds


def test_headers_in_any_case_and_order_with_extra_columns_are_read():
    style = ReportStyle(header_case="upper", extra_columns=True, reverse_columns=True)

    assert read([ALEX, BEA], style=style) == read([ALEX, BEA])


def test_a_report_excel_saved_as_comma_separated_is_read():
    people = [Attendee("Smith, Alex", "Alex@Example.org", stays=[(0, 90)])]

    assert read(people, encoding="utf-8", delimiter=",") == {"Smith, Alex": ("alex@example.org", 90 * 60)}


def test_a_name_with_a_comma_stays_one_name_in_a_tab_separated_file():
    assert read([Attendee("Smith, Alex (EXT)", "", stays=[(0, 60)])]) == {"Smith, Alex (EXT)": ("", 60 * 60)}


def test_mixed_case_emails_are_read_in_lower_case():
    assert read([Attendee("Alex Smith", "Alex.SMITH@Coventry.gov.uk")]) == {
        "Alex Smith": ("alex.smith@coventry.gov.uk", 120 * 60)
    }


def test_anonymous_and_email_less_participants_are_kept_apart_from_a_colleague_of_the_same_name():
    people = [Attendee("Anonymous", ""), Attendee("Alex Smith (EXT)", "", stays=[(0, 10)]), Attendee("Alex Smith", "")]

    assert read(people) == {"Anonymous": ("", 120 * 60), "Alex Smith (EXT)": ("", 600), "Alex Smith": ("", 120 * 60)}


def test_roles_are_read_organisers_and_presenters_apart():
    people = [Attendee("Hana Ali", "hana@x.org", role="Organizer"), Attendee("Pat Lee", "pat@x.org", role="Presenter")]

    roles = {p.name: p.role for p in read_report(write_report([*people, ALEX], starts_at=MEETING)).participants}

    assert roles == {"Hana Ali": ORGANISER, "Pat Lee": PRESENTER, "Alex Smith": ATTENDEE}


def test_someone_at_exactly_the_threshold_has_exactly_those_minutes():
    assert read([Attendee("Alex Smith", "alex@example.org", stays=[(10, 90)])])["Alex Smith"][1] == 90 * 60


def test_seconds_are_added_before_rounding_down_to_minutes():
    alex = Attendee("Alex Smith", "alex@example.org", stays=[(0, 30 * 60 + 40), (3000, 59 * 60 + 30)], in_seconds=True)

    (participant,) = read_report(write_report([alex], starts_at=MEETING)).participants

    assert (participant.seconds, participant.minutes) == (90 * 60 + 10, 90)


def refused(data: bytes, **options) -> str:
    with pytest.raises(TeamsReportError) as error:
        read_report(data, **options)
    return str(error.value.message)


def test_a_file_that_is_not_a_report_is_refused_saying_why():
    assert refused(b"Name,Organisation\nAlex,Council\n") == (
        "This file is not a Teams attendance report: it has no Participants section."
    )


def test_a_binary_file_is_refused_as_not_text():
    assert refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))) == "This file is not text."


def test_nul_bytes_in_a_utf8_file_are_refused():
    data = write_report([ALEX], starts_at=MEETING, encoding="utf-8")

    assert refused(data.replace(b"Alex", b"Al\x00ex")) == "This file is not text."


def test_an_excel_workbook_is_refused_with_what_to_do():
    assert "Excel workbook" in refused(b"PK\x03\x04" + b"\x00" * 100)


def test_a_huge_line_is_refused_by_its_number():
    data = write_report([Attendee("A" * 10_000, "alex@example.org")], starts_at=MEETING, encoding="utf-8")

    assert refused(data) == "Line 10 is too long to be part of an attendance report."


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    data = write_report([ALEX, BEA], starts_at=MEETING)

    assert refused(data, max_bytes=len(data) - 1) == f"The file is larger than {(len(data) - 1) / 1024:g} KB."
    assert refused(b"x" * (5 * 1024 * 1024 + 1)) == "The file is larger than 5 MB."


def test_an_empty_file_is_refused():
    assert refused(b"") == "The file is empty."


def test_a_bad_duration_is_refused_by_line_without_repeating_a_formula():
    data = write_report([ALEX], starts_at=MEETING, encoding="utf-8", layout="participants-only")
    crafted = data.replace(b"2h 0m 0s\talex", b'=HYPERLINK("http://evil.example","x")\talex')

    message = refused(crafted)

    assert message == "Line 10: a formula is not a length of time like 1h 27m 51s."
    assert "evil" not in message


def test_formula_looking_names_are_read_as_plain_text():
    people = [Attendee('=HYPERLINK("http://evil.example")', "", stays=[(0, 60)]), Attendee("+44 7700 900123", "")]

    assert read(people) == {'=HYPERLINK("http://evil.example")': ("", 3600), "+44 7700 900123": ("", 7200)}


names = (
    st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÉéñ'-, ()=+@\""),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s[0].isalpha())
)
stays = st.lists(st.tuples(st.integers(0, 10), st.integers(1, 50)), min_size=1, max_size=4).map(
    # (gap, length) pairs laid end to end after each other: joins that never overlap.
    lambda pairs: [(sum(g + n for g, n in pairs[:i]) + gap, length) for i, (gap, length) in enumerate(pairs)]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(names, stays, st.booleans()), min_size=1, max_size=6, unique_by=lambda p: p[0].casefold()
    ),
    encoding=st.sampled_from(ENCODINGS),
    layout=st.sampled_from(["sectioned", "participants-only", "flat"]),
    dates=st.sampled_from(["uk", "us", "iso"]),
    delimiter=st.sampled_from(["\t", ","]),
    header_case=st.sampled_from(["title", "lower", "upper"]),
    extra_columns=st.booleans(),
)
def test_any_report_written_reads_back_to_the_same_people_and_time(
    people, encoding, layout, dates, delimiter, header_case, extra_columns
):
    written = [
        Attendee(name, f"person{n}@Example.org" if with_email and layout != "flat" else "", stays=joins)
        for n, (name, joins, with_email) in enumerate(people)
    ]
    style = ReportStyle(
        encoding=encoding,
        layout=layout,
        dates=dates,
        delimiter=delimiter,
        header_case=header_case,
        extra_columns=extra_columns,
        reverse_columns=extra_columns,
    )

    report = read_report(write_report(written, starts_at=MEETING, minutes=300, style=style))

    assert participants_of(report) == {p.name: (p.email.lower(), p.seconds) for p in written}
