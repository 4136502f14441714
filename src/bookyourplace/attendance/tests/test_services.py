"""The rules of marking who came: only confirmed places of this session, a mark that changes
nothing writes nothing, the threshold, an unmarked booking of an ended session is a no-show,
walk-ins, and the register's counts and search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.attendance import errors, services
from bookyourplace.attendance.models import Attendance, Method, Outcome, WalkIn
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book_people, end_session
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

ORGANISER = Actor(label="Hana Ali")


def attendance_entries() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="attendance.").order_by("pk").values_list("summary", flat=True)
    )


@pytest.fixture
def alex(session):
    return bookings_testing.book(session, "alex@example.org", first_name="Alex", last_name="Smith")


def test_mark_records_the_outcome_who_marked_it_and_how(session, alex):
    attendance = services.mark(booking=alex, outcome=Outcome.ATTENDED, method=Method.BY_HAND, actor=ORGANISER)

    assert (attendance.outcome, attendance.method, attendance.marked_by_label) == ("attended", "by_hand", "Hana Ali")
    assert attendance_entries() == [f"{alex.reference} Alex Smith: not marked -> Attended (Set by an organiser)"]


def test_mark_refuses_a_booking_waiting_for_a_place(session, alex):
    session.capacity = 1
    session.save()
    waiting = bookings_testing.book(session, "bea@example.org", waiting=True, first_name="Bea")

    with pytest.raises(errors.NotConfirmed):
        services.mark(booking=waiting, outcome=Outcome.ATTENDED, method=Method.BY_HAND, actor=ORGANISER)

    assert not Attendance.objects.exists()
    assert attendance_entries() == []


def test_mark_refuses_a_cancelled_booking_saying_it_was_cancelled(session, alex):
    cancel_booking(booking_id=alex.pk, actor=ORGANISER, by_organiser=True, reason="Booked twice.")
    alex.refresh_from_db()

    with pytest.raises(errors.NotConfirmed, match="cancelled"):
        services.check_in(booking=alex, session=session, actor=ORGANISER)

    assert not Attendance.objects.exists()


def test_mark_refuses_a_booking_of_another_session(make_session, session, alex):
    other = make_session(title="The COM Network")

    with pytest.raises(errors.WrongSession):
        services.check_in(booking=alex, session=other, actor=ORGANISER)
    with pytest.raises(errors.WrongSession):
        services.mark(booking=alex, session=other, outcome=Outcome.NO_SHOW, method=Method.BY_HAND, actor=ORGANISER)

    assert not Attendance.objects.exists()


def test_marking_the_same_outcome_again_changes_nothing_and_writes_no_audit_entry(session, alex):
    first = services.mark(
        booking=alex, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, actor=ORGANISER, minutes_present=40
    )

    again = services.mark(
        booking=alex, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, actor=ORGANISER, minutes_present=40
    )

    assert again.marked_at == first.marked_at
    assert len(attendance_entries()) == 1


def test_a_correction_changes_the_mark_in_place_and_is_audited(session, alex):
    services.check_in(booking=alex, session=session, actor=ORGANISER)

    services.mark(booking=alex, outcome=Outcome.NO_SHOW, method=Method.BY_HAND, actor=Actor(label="Sam Jones"))

    attendance = Attendance.objects.get()
    assert (attendance.outcome, attendance.method, attendance.marked_by_label) == ("no_show", "by_hand", "Sam Jones")
    assert attendance_entries()[-1] == f"{alex.reference} Alex Smith: Attended -> No-show (Set by an organiser)"


def test_a_second_tick_says_already_checked_in_and_changes_nothing(session, alex):
    first = services.check_in(booking=alex, session=session, actor=ORGANISER)

    second = services.check_in(booking=alex, session=session, actor=ORGANISER)

    assert (first.already, second.already) == (False, True)
    assert second.attendance.checked_in_at == first.attendance.checked_in_at
    assert len(attendance_entries()) == 1


def test_undo_unmarks_the_booking_and_says_so_in_the_audit_log(session, alex):
    services.check_in(booking=alex, session=session, actor=ORGANISER)

    services.undo_check_in(booking=alex, session=session, actor=ORGANISER)

    assert not Attendance.objects.exists()
    assert attendance_entries()[-1] == f"{alex.reference} Alex Smith: Attended -> not marked"


def test_undo_refuses_a_booking_of_another_session(make_session, session, alex):
    services.check_in(booking=alex, session=session, actor=ORGANISER)
    other = make_session(title="The COM Network")

    with pytest.raises(errors.WrongSession):
        services.undo_check_in(booking=alex, session=other, actor=ORGANISER)

    assert Attendance.objects.get().outcome == Outcome.ATTENDED


def test_an_unmarked_booking_has_no_outcome_until_the_session_ends_then_is_a_no_show(session, alex):
    assert services.outcome_of(alex, None, now=session.ends_at - timedelta(minutes=1)) is None
    assert services.outcome_of(alex, None, now=session.ends_at) == Outcome.NO_SHOW


def test_session_outcomes_after_the_end_show_the_unmarked_as_no_shows(session):
    alex, bea = book_people(session, [("Alex", "Smith"), ("Bea", "Jones")])
    services.check_in(booking=alex, session=session, actor=ORGANISER)
    end_session(session)

    outcomes = {row.booking.first_name: row.outcome for row in services.session_outcomes(session)}

    assert outcomes == {"Alex": Outcome.ATTENDED, "Bea": Outcome.NO_SHOW}


@pytest.mark.parametrize(
    ("minutes", "outcome"),
    [
        (120, Outcome.ATTENDED),
        (90, Outcome.ATTENDED),  # exactly 75% of two hours
        (89, Outcome.PARTLY_ATTENDED),
        (1, Outcome.PARTLY_ATTENDED),
        (0, Outcome.NO_SHOW),
    ],
)
def test_attended_means_present_for_at_least_the_threshold(session, minutes, outcome):
    assert services.outcome_for_minutes(minutes=minutes, session=session) == outcome


def test_the_programme_sets_its_own_threshold(session):
    session.programme.attendance_threshold_percent = 50
    session.programme.save()

    assert services.outcome_for_minutes(minutes=60, session=session) == Outcome.ATTENDED
    assert services.outcome_for_minutes(minutes=59, session=session) == Outcome.PARTLY_ATTENDED


def test_walk_ins_are_recorded_as_such_and_audited(session):
    walk_in = services.add_walk_in(
        session=session, first_name=" Dee ", last_name="Khan", organisation="NHS", email="Dee@NHS.net", actor=ORGANISER
    )

    assert (walk_in.full_name, walk_in.organisation, walk_in.email) == ("Dee Khan", "NHS", "dee@nhs.net")
    assert attendance_entries() == [f"Walk-in added to {session.title}: Dee Khan"]
    assert services.register_counts(session).walk_ins == 1


@pytest.mark.parametrize(
    ("first_name", "last_name", "field"),
    [("", "Khan", "first_name"), ("Dee", "  ", "last_name"), ("Dee", "Khan\nX", "last_name")],
)
def test_a_walk_in_needs_a_one_line_first_and_last_name(session, first_name, last_name, field):
    with pytest.raises(errors.InvalidWalkIn) as refused:
        services.add_walk_in(session=session, first_name=first_name, last_name=last_name, actor=ORGANISER)

    assert refused.value.field == field
    assert not WalkIn.objects.exists()


def test_removing_a_walk_in_is_audited(session):
    walk_in = services.add_walk_in(session=session, first_name="Dee", last_name="Khan", actor=ORGANISER)

    services.remove_walk_in(walk_in=walk_in, actor=ORGANISER)

    assert not WalkIn.objects.exists()
    assert attendance_entries()[-1] == f"Walk-in removed from {session.title}: Dee Khan"


def test_the_register_is_in_surname_order_whatever_the_case(session):
    book_people(session, [("Zoe", "Zhang"), ("Dan", "de Souza"), ("Ann", "Evans"), ("Bob", "Evans")])

    names = [row.booking.full_name for row in services.session_outcomes(session)]

    assert names == ["Dan de Souza", "Ann Evans", "Bob Evans", "Zoe Zhang"]


def test_the_register_search_finds_every_word_in_the_first_or_last_name(session):
    book_people(session, [("Alex", "Smith"), ("Alexa", "Jones"), ("Sam", "Smithers")])

    def found(search):
        return [row.booking.full_name for row in services.session_outcomes(session, search=search)]

    assert found("smi") == ["Alex Smith", "Sam Smithers"]
    assert found("ALEX smi") == ["Alex Smith"]
    assert found("nobody") == []


def test_the_counts_leave_out_a_booking_cancelled_after_its_tick(session):
    alex, bea, _cai = book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans")])
    services.check_in(booking=alex, session=session, actor=ORGANISER)
    services.check_in(booking=bea, session=session, actor=ORGANISER)
    services.add_walk_in(session=session, first_name="Dee", last_name="Khan", actor=ORGANISER)
    cancel_booking(booking_id=bea.pk, actor=ORGANISER, by_organiser=True, reason="Left early by mistake.")

    counts = services.register_counts(session)

    assert (counts.expected, counts.checked_in, counts.walk_ins, counts.present) == (2, 1, 1, 2)


def test_a_tick_at_the_door_records_when(session, alex):
    moment = timezone.now().replace(microsecond=0)

    checked = services.check_in(booking=alex, session=session, actor=ORGANISER, now=moment)

    assert checked.attendance.checked_in_at == moment
    assert checked.attendance.method == Method.REGISTER
