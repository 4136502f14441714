"""Matching a Teams report's people to a session's confirmed bookings, the preview, and saving
it: only the matched are marked, a second import of the same file changes nothing."""

from datetime import timedelta

import pytest

from bookyourplace.attendance import teams_import
from bookyourplace.attendance.errors import TeamsReportError
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.attendance.services import mark
from bookyourplace.attendance.teams_report import read_report
from bookyourplace.attendance.testing import Attendee, book_people, session_start, write_demo_report, write_report
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

ORGANISER = Actor(label="Hana Ali")


@pytest.fixture
def people(session):
    """Alex, Bea, Cai and Dee Evans booked on a two-hour online session."""
    booked = book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans"), ("Dee", "Evans")])
    return dict(zip(("alex", "bea", "cai", "dee"), booked, strict=True))


def report_of(session, attendees, **style):
    return read_report(write_report(attendees, starts_at=session_start(session), **style)).participants


def preview(session, attendees, **options):
    return teams_import.preview_import(session=session, participants=report_of(session, attendees), **options)


def names(rows) -> list[str]:
    """The booked names of matches or of bookings."""
    return [getattr(row, "booking", row).full_name for row in rows]


def marks(session) -> dict[str, tuple[str, int | None, str]]:
    return {
        a.booking.first_name: (a.outcome, a.minutes_present, a.method)
        for a in Attendance.objects.filter(session=session).select_related("booking")
    }


def audit_entries() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="attendance.").order_by("pk").values_list("action", flat=True)
    )


def test_people_are_matched_by_email_in_any_case_then_by_name_when_teams_gave_no_email(session, people):
    result = preview(
        session,
        [
            Attendee("A. Smith (laptop)", "ALEX.Smith@Example.org"),
            Attendee("bea  JONES (EXT)", ""),  # no email: her name, whatever its case and spacing
            Attendee("Cai Evans", "cai.personal@gmail.com"),  # an email that is nobody's: not matched by name
        ],
    )

    assert names(result.attended) == ["Bea Jones", "Alex Smith"]
    assert [p.name for p in result.unmatched] == ["Cai Evans"]
    assert names(result.not_in_report) == ["Cai Evans", "Dee Evans"]


def test_a_sign_in_name_that_is_a_booked_email_matches(session, people):
    result = preview(session, [Attendee("Alex", "", upn="alex.smith@example.org")])

    assert names(result.attended) == ["Alex Smith"]


def test_a_name_two_bookings_share_matches_neither(session, people):
    bookings_testing.book(session, "alex.smith2@example.org", first_name="Alex", last_name="Smith")

    result = preview(session, [Attendee("Alex Smith", "")])

    assert result.attended == [] and [p.name for p in result.unmatched] == ["Alex Smith"]


def test_below_the_threshold_shows_the_minutes_and_exactly_the_threshold_counts(session, people):
    result = preview(
        session,
        [
            Attendee("Alex Smith", "alex.smith@example.org", stays=[(0, 90)]),  # 75% of 120 minutes
            Attendee("Bea Jones", "bea.jones@example.org", stays=[(0, 89)]),
        ],
    )

    assert [(m.booking.first_name, m.minutes, m.outcome) for m in result.matched] == [
        ("Alex", 90, Outcome.ATTENDED),
        ("Bea", 89, Outcome.PARTLY_ATTENDED),
    ]
    assert result.threshold_minutes == 90


def test_the_organiser_sets_the_threshold(session, people):
    result = preview(session, [Attendee("Bea Jones", "bea.jones@example.org", stays=[(0, 61)])], threshold_percent=50)

    assert names(result.attended) == ["Bea Jones"]


@pytest.mark.parametrize("threshold", [0, 101])
def test_a_threshold_outside_1_to_100_is_refused(session, people, threshold):
    with pytest.raises(TeamsReportError, match="between 1 and 100"):
        preview(session, [], threshold_percent=threshold)


def test_presenters_and_organisers_are_listed_apart_even_when_booked(session, people):
    result = preview(
        session,
        [
            Attendee("Hana Ali", "hana@coventry.gov.uk", role="Organizer"),
            Attendee("Alex Smith", "alex.smith@example.org", role="Presenter"),
        ],
    )

    assert [p.name for p in result.presenters] == ["Hana Ali", "Alex Smith"]
    assert result.matched == [] and result.unmatched == []


def test_a_cancelled_booking_is_not_matched(session, people):
    cancel_booking(booking_id=people["alex"].pk, actor=ORGANISER, by_organiser=True, reason="Booked twice.")

    result = preview(session, [Attendee("Alex Smith", "alex.smith@example.org")])

    assert result.matched == [] and [p.name for p in result.unmatched] == ["Alex Smith"]


def test_a_report_for_another_day_is_refused_saying_both_dates(session, people):
    report = read_report(write_report([], starts_at=session_start(session) + timedelta(days=1)))

    with pytest.raises(TeamsReportError) as refused:
        teams_import.check_meeting_date(session=session, report=report)

    day = session_start(session)
    assert refused.value.message == (
        f"This report is for a meeting on {(day + timedelta(days=1)):%-d %B %Y}; this session is on {day:%-d %B %Y}."
    )


def test_the_preview_needs_two_queries_however_long_the_report(session, people, django_assert_num_queries):
    for size in (1, 300):
        attendees = [Attendee(f"Guest {n}", f"guest{n}@example.org") for n in range(size)]
        participants = report_of(session, attendees)
        with django_assert_num_queries(2):
            teams_import.preview_import(session=session, participants=participants)


def test_saving_marks_the_matched_only_and_leaves_the_rest_unmarked(session, people):
    attendees = [
        Attendee("Alex Smith", "alex.smith@example.org", stays=[(0, 50), (60, 60)]),
        Attendee("Bea Jones", "bea.jones@example.org", stays=[(0, 30)]),
        Attendee("Guest", ""),
    ]

    result = teams_import.save_import(session=session, participants=report_of(session, attendees), actor=ORGANISER)

    assert (result.attended, result.below_threshold, result.unmatched, result.not_in_report) == (1, 1, 1, 2)
    assert marks(session) == {
        "Alex": (Outcome.ATTENDED, 110, Method.TEAMS_REPORT),
        "Bea": (Outcome.PARTLY_ATTENDED, 30, Method.TEAMS_REPORT),
    }
    assert audit_entries() == ["attendance.marked", "attendance.marked", "attendance.teams_import"]
    summary = AuditEvent.objects.get(action="attendance.teams_import").summary
    assert summary == (
        "Teams attendance report imported for Self-Initiated Terrorism (threshold 75%): 1 attended, "
        "1 below the threshold, 0 unchanged, 1 not matched, 2 booked but not in the report"
    )


def test_the_audit_entry_names_the_meeting_without_a_formula_its_title_starts_with(session, people):
    participants = report_of(session, [Attendee("Alex Smith", "alex.smith@example.org")])

    teams_import.save_import(
        session=session, participants=participants, actor=ORGANISER, report_title='=HYPERLINK("x")Prevent'
    )

    summary = AuditEvent.objects.get(action="attendance.teams_import").summary
    assert summary.startswith('Teams attendance report “HYPERLINK("x")Prevent” imported for Self-Initiated Terrorism')


def test_importing_the_same_report_again_changes_nothing(session, people):
    participants = report_of(session, [Attendee("Alex Smith", "alex.smith@example.org")])
    teams_import.save_import(session=session, participants=participants, actor=ORGANISER)
    before = (marks(session), audit_entries())

    again = teams_import.save_import(session=session, participants=participants, actor=ORGANISER)

    assert (marks(session), audit_entries()) == before
    assert (again.marked, again.unchanged) == (0, 1)
    assert teams_import.result_message(again) == "Nothing changed: the report's attendance was already saved."


def test_a_second_report_marks_people_the_first_did_not_have(session, people):
    teams_import.save_import(
        session=session,
        participants=report_of(session, [Attendee("Alex Smith", "alex.smith@example.org")]),
        actor=ORGANISER,
    )

    teams_import.save_import(
        session=session,
        participants=report_of(session, [Attendee("Bea Jones", "bea.jones@example.org")]),
        actor=ORGANISER,
    )

    assert set(marks(session)) == {"Alex", "Bea"}


def test_a_mark_an_organiser_set_by_hand_is_kept(session, people):
    mark(booking=people["alex"], outcome=Outcome.NO_SHOW, method=Method.BY_HAND, actor=ORGANISER)
    participants = report_of(session, [Attendee("Alex Smith", "alex.smith@example.org")])

    shown = teams_import.preview_import(session=session, participants=participants)
    result = teams_import.save_import(session=session, participants=participants, actor=ORGANISER)

    assert shown.attended[0].keeps_mark_set_by_hand
    assert marks(session) == {"Alex": (Outcome.NO_SHOW, None, Method.BY_HAND)}
    assert (result.marked, result.unchanged) == (0, 1)


def test_the_demo_report_has_every_group_of_the_preview(session, people):
    result = teams_import.preview_import(
        session=session, participants=read_report(write_demo_report(session)).participants
    )

    assert names(result.attended) == ["Cai Evans", "Dee Evans"]
    assert [(m.booking.first_name, m.outcome) for m in result.below_threshold] == [("Alex", Outcome.PARTLY_ATTENDED)]
    assert names(result.not_in_report) == ["Bea Jones"]
    assert [p.name for p in result.unmatched] == ["Guest (EXT)"]
    assert [p.name for p in result.presenters] == ["Prevent Coordinator"]
