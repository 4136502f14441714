"""A programme or session change and its audit entry are written together: if the entry
cannot be written, the change is not kept either (no change the log does not show)."""

import datetime as dt

import pytest
from django.db import DatabaseError

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import copying, editing, publishing, sessions
from bookyourplace.programmes.models import Programme, Session

ORGANISER = Actor(label="Organiser")


@pytest.fixture
def audit_log_fails(monkeypatch):
    def fail(**kwargs):
        raise DatabaseError("the audit log could not be written")

    for module in (copying, editing, publishing, sessions):
        monkeypatch.setattr(module, "record", fail)


def test_a_new_programme_is_not_kept_without_its_audit_entry(organiser, audit_log_fails):
    with pytest.raises(DatabaseError):
        editing.create_programme(organiser=organiser, title="Autumn Week", actor=ORGANISER)

    assert not Programme.objects.filter(title="Autumn Week").exists()


def test_a_changed_title_is_not_kept_without_its_audit_entry(programme, audit_log_fails):
    with pytest.raises(DatabaseError):
        editing.change_programme(programme=programme, title="Renamed", summary="New", actor=ORGANISER)

    assert Programme.objects.get(pk=programme.pk).title == "Coventry Prevent Week"


def test_changed_booking_rules_are_not_kept_without_their_audit_entry(programme, audit_log_fails):
    with pytest.raises(DatabaseError):
        editing.change_programme_rules(programme=programme, offer_hold_hours=48, actor=ORGANISER)

    assert Programme.objects.get(pk=programme.pk).offer_hold_hours == 24


def test_unpublishing_is_not_kept_without_its_audit_entry(programme, session, audit_log_fails):
    with pytest.raises(DatabaseError):
        publishing.set_programme_status(programme=programme, status=Programme.Status.DRAFT, actor=ORGANISER)

    assert Programme.objects.get(pk=programme.pk).status == Programme.Status.PUBLISHED


def test_a_copy_is_not_kept_without_its_audit_entry(programme, session, audit_log_fails):
    with pytest.raises(DatabaseError):
        copying.copy_programme_for(
            programme=programme, first_day=dt.date.today() + dt.timedelta(days=365), title="Next year", actor=ORGANISER
        )

    assert not Programme.objects.filter(title="Next year").exists()
    assert Session.objects.count() == 1


def test_a_new_session_is_not_kept_without_its_audit_entry(programme, audit_log_fails):
    starts = dt.datetime(2030, 3, 4, 10, 0, tzinfo=programme.tz)

    with pytest.raises(DatabaseError):
        sessions.create_session(
            programme=programme,
            actor=ORGANISER,
            title="Workshop",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=20,
            joining_url="https://teams.example/join",
        )

    assert not Session.objects.exists()


def test_each_change_is_recorded_once(organiser):
    programme = editing.create_programme(organiser=organiser, title="Autumn Week", actor=ORGANISER)
    editing.change_programme(programme=programme, title="Autumn Week 2027", summary="", actor=ORGANISER)
    editing.change_programme_rules(programme=programme, offer_hold_hours=48, actor=ORGANISER)

    assert list(AuditEvent.objects.order_by("pk").values_list("summary", flat=True)) == [
        "Created programme 'Autumn Week'",
        "Changed programme 'Autumn Week 2027'",
        "Changed the booking rules of 'Autumn Week 2027': offer_hold_hours",
    ]


def test_an_unknown_session_detail_is_refused_rather_than_dropped(programme):
    starts = dt.datetime(2030, 3, 4, 10, 0, tzinfo=programme.tz)

    with pytest.raises(TypeError, match="colour"):
        sessions.create_session(
            programme=programme,
            actor=ORGANISER,
            title="Workshop",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=20,
            colour="red",
        )
