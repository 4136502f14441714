"""Which audit events an organiser's administrators see, and the filters on them."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from bookyourplace.accounts.audit_log import AuditFilter, events_for_organisers
from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM, Actor, record
from bookyourplace.programmes.models import Organiser, Programme

LONDON = timezone.get_default_timezone()


def at(moment: dt.datetime):
    """Record events as if it were this moment."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def elsewhere(db):
    return Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")


def summaries(events) -> list[str]:
    return [event.summary for event in events]


def test_an_organiser_sees_its_programmes_and_its_staff_only(organiser, programme, elsewhere):
    theirs = Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")
    ours = make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk")
    their_admin = make_person(elsewhere, Role.ADMINISTRATOR, email="wendy@warwickshire.gov.uk")
    record(
        actor=Actor(label="Attendee"),
        action=AuditEvent.Action.BOOKED,
        summary="ours: booked",
        programme_id=programme.pk,
    )
    record(actor=Actor(user=ours.user), action=AuditEvent.Action.SIGNED_IN, summary="ours: signed in")
    record(
        actor=Actor(label="Attendee"), action=AuditEvent.Action.BOOKED, summary="theirs: booked", programme_id=theirs.pk
    )
    record(actor=Actor(user=their_admin.user), action=AuditEvent.Action.SIGNED_IN, summary="theirs: signed in")
    record(actor=SYSTEM, action=AuditEvent.Action.CHANGED_SESSION, summary="nobody's")

    events = events_for_organisers(Organiser.objects.filter(pk=organiser.pk))

    assert summaries(events) == ["ours: signed in", "ours: booked"]  # newest first


def test_filters_by_action_person_and_local_days(organiser, programme):
    def event(when, label, action=AuditEvent.Action.VIEWED_BOOKING):
        with at(when):
            record(
                actor=Actor(label=label),
                action=action,
                summary=f"{label} at {when:%d %H:%M}",
                programme_id=programme.pk,
            )

    # Midnight in London on 1 July is 23:00 UTC on 30 June.
    event(dt.datetime(2026, 6, 30, 22, 59, tzinfo=dt.UTC), "Priya Shah")
    event(dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC), "Priya Shah")
    event(dt.datetime(2026, 7, 2, 22, 59, tzinfo=dt.UTC), "Sam Patel", AuditEvent.Action.EXPORTED)
    event(dt.datetime(2026, 7, 2, 23, 0, tzinfo=dt.UTC), "Sam Patel")
    ours = Organiser.objects.filter(pk=organiser.pk)

    july_1_to_2 = AuditFilter(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 2))
    assert summaries(events_for_organisers(ours, audit_filter=july_1_to_2)) == [
        "Sam Patel at 02 22:59",
        "Priya Shah at 30 23:00",
    ]
    assert summaries(events_for_organisers(ours, audit_filter=AuditFilter(person="priya"))) == [
        "Priya Shah at 30 23:00",
        "Priya Shah at 30 22:59",
    ]
    assert summaries(events_for_organisers(ours, audit_filter=AuditFilter(action=AuditEvent.Action.EXPORTED))) == [
        "Sam Patel at 02 22:59"
    ]
    assert events_for_organisers(ours, audit_filter=AuditFilter(person="  ")).count() == 4


def test_audit_events_can_be_neither_changed_nor_deleted(programme):
    event = record(
        actor=SYSTEM, action=AuditEvent.Action.CHANGED_PROGRAMME, summary="Renamed", programme_id=programme.pk
    )

    event.summary = "Nothing happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get().summary == "Renamed"


def test_django_admin_cannot_add_change_or_delete_audit_events(django_user_model):
    """If the admin site shows the audit log at all, it shows it read-only."""
    if not admin.site.is_registered(AuditEvent):
        return
    model_admin = admin.site.get_model_admin(AuditEvent)
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
