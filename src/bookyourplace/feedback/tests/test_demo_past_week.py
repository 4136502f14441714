"""`make run` has a history to report on: January's programme as it ran (bookings, cancellations,
a waiting list, attendance, feedback) and last week's copy, with Monday and Thursday left for
the README's try-out. Nobody is emailed history, but someone marked later is asked for feedback."""

import io
from collections import Counter
from statistics import mean

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method, Outcome, WalkIn
from bookyourplace.bookings import periodic
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback.management.commands.load_demo_past_week import ORIGINAL_SLUG, PAST_SLUG
from bookyourplace.feedback.models import Answer, FeedbackRequest, Response, Role
from bookyourplace.feedback.requests import KIND as FEEDBACK_REQUEST
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Programme, Session

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def loaded(var_dir) -> str:
    run("load_demo")
    return run("load_demo_past_week")


def day_of(session: Session) -> str:
    return session.starts_at.astimezone(session.programme.tz).strftime("%a")


def sessions_of(slug: str) -> list[Session]:
    return list(Session.objects.filter(programme__slug=slug).select_related("programme").order_by("starts_at"))


def test_last_weeks_sessions_are_over_and_recent_enough_for_feedback(loaded):
    past = Programme.objects.get(slug=PAST_SLUG)
    now = timezone.now()
    sessions = sessions_of(PAST_SLUG)

    assert len(sessions) == 6
    assert all(session.ends_at < now for session in sessions)
    # A feedback survey is open for 14 days after a session: every one is still inside that.
    assert all((now - session.ends_at).days < 14 for session in sessions)
    assert {day_of(session) for session in sessions} == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    assert past.is_published


def test_januarys_programme_has_bookings_cancellations_and_a_waiting_list(loaded):
    history = Booking.objects.filter(session__programme__slug=ORIGINAL_SLUG)
    statuses = Counter(history.values_list("status", flat=True))

    assert 200 <= history.count() <= 320  # a few hundred
    assert statuses[Booking.Status.CONFIRMED] >= 180
    assert 6 <= statuses[Booking.Status.CANCELLED] <= 35
    assert set(statuses) == {
        Booking.Status.CONFIRMED,
        Booking.Status.CANCELLED,
        Booking.Status.WAITING,
        Booking.Status.OFFER_EXPIRED,
    }
    for session in sessions_of(ORIGINAL_SLUG):
        booked = session.bookings.count()
        assert 25 <= booked <= 45 if session.is_online else booked == session.capacity + 7, (session, booked)
        # Booked weeks or days before; none of it after the start.
        assert session.bookings.filter(created_at__gte=session.starts_at).count() == 0
        assert session.bookings.filter(created_at__lt=session.starts_at - timezone.timedelta(days=14)).exists()
    # The in-person session filled: its waiting list had offers taken, turned down and run out,
    # and people still waiting when it started.
    thursday = next(s for s in sessions_of(ORIGINAL_SLUG) if not s.is_online)
    offered = thursday.bookings.filter(offered_at__isnull=False)
    assert thursday.bookings.filter(status__in=Booking.HOLDING_STATUSES).count() == thursday.capacity
    assert offered.filter(status=Booking.Status.CONFIRMED).exists()
    assert offered.filter(status=Booking.Status.CANCELLED).exists()  # declined
    assert offered.filter(status=Booking.Status.OFFER_EXPIRED).exists()
    assert thursday.bookings.filter(status=Booking.Status.WAITING).count() >= 1
    # People cancelled weeks before as well as the day before.
    notice = [(b.session.starts_at - b.cancelled_at).days for b in history.filter(status="cancelled", offered_at=None)]
    assert min(notice) <= 3 and max(notice) >= 7


def test_januarys_people_come_from_many_organisations_some_more_than_once(loaded):
    history = Booking.objects.filter(session__programme__slug=ORIGINAL_SLUG)

    assert history.values("organisation").distinct().count() >= 22
    assert history.values("sector").distinct().count() >= 8
    returning = history.values("email").annotate(sessions=Count("session", distinct=True)).filter(sessions__gte=2)
    assert returning.count() >= 20
    assert 3 <= history.exclude(access_needs="").count() <= 40


def test_januarys_attendance_is_marked_by_register_and_teams_report(loaded):
    marks = Attendance.objects.filter(session__programme__slug=ORIGINAL_SLUG)
    confirmed = Booking.objects.filter(session__programme__slug=ORIGINAL_SLUG, status="confirmed").count()
    outcomes = Counter(marks.values_list("outcome", flat=True))

    # Most came, some partly, some never (left unmarked: no-shows once it was over).
    assert outcomes[Outcome.ATTENDED] > 0.65 * confirmed
    assert outcomes[Outcome.PARTLY_ATTENDED] >= 5
    assert 0.05 * confirmed < confirmed - marks.count() < 0.25 * confirmed
    in_person = marks.filter(session__delivery=Session.Delivery.IN_PERSON)
    assert set(in_person.values_list("method", flat=True)) <= {Method.REGISTER, Method.BY_HAND}
    assert in_person.filter(method=Method.REGISTER, checked_in_at__isnull=False).count() >= 20
    online = marks.filter(session__delivery=Session.Delivery.ONLINE)
    assert not online.filter(minutes_present=None).exists()
    assert set(online.values_list("method", flat=True)) == {Method.TEAMS_REPORT}
    assert WalkIn.objects.filter(session__programme__slug=ORIGINAL_SLUG).count() == 2


def test_januarys_feedback_comes_from_about_six_in_ten_who_came(loaded):
    came = Attendance.objects.filter(
        session__programme__slug=ORIGINAL_SLUG, outcome__in=[Outcome.ATTENDED, Outcome.PARTLY_ATTENDED]
    ).count()
    answered = Response.objects.filter(session__programme__slug=ORIGINAL_SLUG).count()
    answers = Answer.objects.filter(response__session__programme__slug=ORIGINAL_SLUG)

    assert 0.5 * came <= answered <= 0.7 * came
    # Everyone who came counts as asked, when the marks were in.
    assert FeedbackRequest.objects.filter(session__programme__slug=ORIGINAL_SLUG).count() == came
    satisfaction = list(answers.filter(question__role=Role.SATISFACTION).values_list("rating", flat=True))
    assert len(set(satisfaction)) >= 4 and 3.5 <= mean(satisfaction) <= 4.6
    before = mean(answers.filter(question__role=Role.CONFIDENCE_BEFORE).values_list("rating", flat=True))
    after = mean(answers.filter(question__role=Role.CONFIDENCE_AFTER).values_list("rating", flat=True))
    assert after > before + 0.5
    comments = Counter(answers.exclude(text="").values_list("text", flat=True))
    assert {"More local case studies", "Useful examples", "Too short"} <= {
        text for text, n in comments.items() if n >= 2
    }


def test_last_week_leaves_monday_and_thursday_to_mark_and_the_rest_marked(loaded, var_dir):
    for session in sessions_of(PAST_SLUG):
        marks = Attendance.objects.filter(session=session).count()
        responses = Response.objects.filter(session=session).count()
        assert 10 <= session.bookings.filter(status="confirmed").count() <= 14
        if day_of(session) in ("Mon", "Thu"):
            assert (marks, responses) == (0, 0), session
        else:
            assert marks >= 7 and responses >= 2, session
    # Monday's Teams report is there to import.
    monday = sessions_of(PAST_SLUG)[0]
    assert [p.name for p in (var_dir / "demo").iterdir()] == [
        f"teams-attendance-report-{monday.starts_at.astimezone(monday.programme.tz):%Y-%m-%d}.csv"
    ]
    assert "A Teams attendance report to import" in loaded


def test_nobody_is_emailed_history_by_the_command_or_the_worker_after_it(loaded):
    assert not Email.objects.exists()

    periodic.run_once(now=timezone.now())
    periodic.run_once(now=timezone.now() + timezone.timedelta(minutes=20))

    assert list(Email.objects.values_list("kind", flat=True)) == []


def test_someone_marked_later_is_asked_for_feedback(loaded):
    sessions = {day_of(s): s for s in sessions_of(PAST_SLUG) if day_of(s) in ("Mon", "Thu")}
    thursday_person = attendance.confirmed_bookings(sessions["Thu"]).first()
    monday_person = attendance.confirmed_bookings(sessions["Mon"]).first()

    attendance.check_in(booking=thursday_person, session=sessions["Thu"], actor=SYSTEM)
    attendance.mark(
        booking=monday_person, outcome=Outcome.ATTENDED, method=Method.TEAMS_REPORT, minutes_present=120, actor=SYSTEM
    )
    periodic.run_once(now=timezone.now())

    asked = sorted(Email.objects.filter(kind=FEEDBACK_REQUEST).values_list("to", flat=True))
    assert asked == sorted([thursday_person.email, monday_person.email])
    assert Email.objects.count() == 2


def test_running_it_twice_changes_nothing(loaded):
    counts = (Booking.objects.count(), Attendance.objects.count(), Response.objects.count())

    assert "nothing to do" in run("load_demo_past_week")
    assert (Booking.objects.count(), Attendance.objects.count(), Response.objects.count()) == counts


def figures() -> dict:
    """What the reports would show of the history, session by session."""
    result = {}
    for slug in (ORIGINAL_SLUG, PAST_SLUG):
        for session in sessions_of(slug):
            key = (slug, day_of(session), session.title)
            result[key] = (
                sorted(Counter(session.bookings.values_list("status", flat=True)).items()),
                sorted(session.bookings.values_list("email", "organisation", "access_needs")),
                sorted(
                    Attendance.objects.filter(session=session).values_list(
                        "booking__email", "outcome", "minutes_present"
                    )
                ),
                sorted(
                    Answer.objects.filter(response__session=session).values_list(
                        "response__booking__email", "question__role", "rating", "text"
                    )
                ),
            )
    return result


class _Undo(Exception):
    pass


def figures_of_a_fresh_load() -> dict:
    """Load the demo into the empty database, read its figures, and undo it all."""
    try:
        with transaction.atomic():
            run("load_demo")
            run("load_demo_past_week")
            loaded = figures()
            raise _Undo
    except _Undo:
        pass
    return loaded


def test_two_fresh_loads_give_the_same_figures(var_dir):
    first = figures_of_a_fresh_load()
    assert not Booking.objects.exists()

    second = figures_of_a_fresh_load()

    assert first == second
    assert len(first) == 12


def test_it_needs_the_demo_first(var_dir):
    with pytest.raises(CommandError, match="load_demo"):
        run("load_demo_past_week")
