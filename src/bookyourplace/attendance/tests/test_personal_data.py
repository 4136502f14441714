"""Walk-ins carry their own name and address: anonymised with their programme, erased on
request, found for subject access. Attendance marks stay (they name no one)."""

from datetime import timedelta

from django.utils import timezone

from bookyourplace.attendance import personal_data as held
from bookyourplace.attendance.models import Attendance, Method, Outcome, WalkIn
from bookyourplace.attendance.services import add_walk_in
from bookyourplace.attendance.services import mark as mark_attendance
from bookyourplace.bookings import personal_data as bookings_held
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

ORGANISER = Actor(label="Sam Organiser")


def mark(booking):
    return mark_attendance(booking=booking, outcome=Outcome.ATTENDED, method=Method.BY_HAND, actor=ORGANISER)


def walk_in(session, **details):
    fields = {"first_name": "Dev", "last_name": "Patel", "organisation": "West Midlands Police"}
    fields.update(details)
    return add_walk_in(session=session, actor=ORGANISER, email="dev.patel@police.example", **fields)


def test_walk_ins_are_anonymised_with_their_programme_and_keep_their_organisation(session):
    person = walk_in(session)
    end_session(session, ago=timedelta(days=24 * 31 + 1))

    changed = held.anonymise_due(timezone.now())

    person.refresh_from_db()
    assert changed == 1
    assert (person.full_name, person.email, person.organisation) == ("Anonymised", "", "West Midlands Police")
    event = AuditEvent.objects.get(subject_type="walkin", subject_id=str(person.pk))
    assert event.summary == f"Walk-in added to {session.title}: Anonymised"
    assert event.actor_label == "Sam Organiser"


def test_walk_ins_within_the_period_are_kept(session):
    person = walk_in(session)
    end_session(session, ago=timedelta(days=30))

    assert held.anonymise_due(timezone.now()) == 0
    person.refresh_from_db()
    assert person.full_name == "Dev Patel"


def test_erasing_an_address_anonymises_its_walk_ins_and_keeps_the_marks(session):
    booking = book(session, "dev.patel@police.example", first_name="Dev", last_name="Patel")
    end_session(session)
    mark(booking)
    person = walk_in(session)

    assert held.erase("dev.patel@police.example") == 1
    bookings_held.erase("dev.patel@police.example")

    person.refresh_from_db()
    assert person.full_name == "Anonymised"
    assert Attendance.objects.get(booking=booking).outcome == Outcome.ATTENDED
    assert held.find("dev.patel@police.example") == []


def test_subject_access_finds_marks_and_walk_ins(session):
    booking = book(session, "dev.patel@police.example", first_name="Dev", last_name="Patel")
    end_session(session)
    mark(booking)
    walk_in(session)

    found = held.find("Dev.Patel@police.example")

    assert sorted(record.kind for record in found) == ["Attendance", "Walk-in"]
    assert WalkIn.objects.count() == 1


def test_the_schedule_counts_walk_ins_per_programme(session, programme):
    walk_in(session)
    walk_in(session, first_name="Ana")
    end_session(session, ago=timedelta(days=24 * 31 - 5))
    now = timezone.now()

    due = held.schedule(now, now + timedelta(days=30))

    assert [(item.kind, item.count, item.programmes) for item in due] == [
        (held.WALK_INS_ANONYMISED, 2, (programme.title,))
    ]
