"""`make run` shows what happens after a session: last week's programme, people booked on it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bookyourplace.attendance.management.commands.load_demo_past_week import PAST_SLUG
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import Programme

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_last_weeks_sessions_are_over_and_recent_enough_for_feedback(var_dir):
    run("load_demo")
    run("load_demo_past_week")

    past = Programme.objects.get(slug=PAST_SLUG)
    now = timezone.now()
    sessions = list(past.sessions.all())
    assert len(sessions) == 6
    assert all(session.ends_at < now for session in sessions)
    # A feedback survey is open for 14 days after a session: every one is still inside that.
    assert all((now - session.ends_at).days < 14 for session in sessions)
    assert {session.starts_at.astimezone(past.tz).strftime("%a") for session in sessions} == {
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
    }


def test_everyone_is_booked_and_nobody_is_emailed_history(var_dir):
    run("load_demo")
    output = run("load_demo_past_week")

    booked = Booking.objects.filter(session__programme__slug=PAST_SLUG)
    assert booked.count() >= 60
    assert set(booked.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}
    assert all(session.bookings.count() >= 10 for session in Programme.objects.get(slug=PAST_SLUG).sessions.all())
    assert not Email.objects.exists()
    assert f"{booked.count()} bookings" in output


def test_running_it_twice_changes_nothing(var_dir):
    run("load_demo")
    run("load_demo_past_week")
    count = Booking.objects.count()

    assert "nothing to do" in run("load_demo_past_week")
    assert Booking.objects.count() == count


def test_it_needs_the_demo_first(var_dir):
    with pytest.raises(CommandError, match="load_demo"):
        run("load_demo_past_week")
