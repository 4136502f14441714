"""The audit log cannot be edited: not through the model, not through a QuerySet, not with raw
SQL; one documented way removes old rows (retention)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, _audit_removal_window, purge_audit_events_before, record

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(db):
    return record(
        actor=Actor(label="Sam Organiser", ip_address="192.0.2.7"),
        action=AuditEvent.Action.EXPORTED,
        summary="Exported 12 bookings of Prevent Week",
    )


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def unchanged(event) -> bool:
    current = AuditEvent.objects.get(pk=event.pk)
    return (current.summary, current.actor_label, current.created_at) == (
        event.summary,
        event.actor_label,
        event.created_at,
    )


def test_audit_queryset_update_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened")

    assert unchanged(event)


def test_audit_queryset_delete_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_raw_sql_update_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["Nothing happened", event.pk])

    assert unchanged(event)


def test_audit_raw_sql_delete_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_raw_sql_clearing_actor_while_changing_summary_refused(event):
    # Clearing actor is let through for deleted accounts only when nothing else changes.
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE {TABLE} SET actor_id = NULL, summary = %s WHERE id = %s", ["Nothing happened", event.pk])

    assert unchanged(event)


def test_audit_deleting_an_account_keeps_its_events_under_its_label(db):
    # Arrange
    person = get_user_model().objects.create_user(
        username="sam", email="sam@example.org", first_name="Sam", last_name="Organiser"
    )
    event = record(actor=Actor(user=person), action=AuditEvent.Action.EXPORTED, summary="Exported 3 bookings")

    # Act
    person.delete()

    # Assert
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id is None
    assert event.actor_label == "Sam Organiser"
    assert event.summary == "Exported 3 bookings"


def test_purge_audit_events_before_removes_only_older_events_and_closes_again(db):
    # Arrange
    now = timezone.now()
    old = record(actor=Actor(label="A"), action=AuditEvent.Action.EXPORTED, summary="old")
    recent = record(actor=Actor(label="B"), action=AuditEvent.Action.EXPORTED, summary="recent")
    with _audit_removal_window() as cursor:  # backdate "old" past the triggers, as time would
        created_at = AuditEvent._meta.get_field("created_at")
        cursor.execute(
            f"UPDATE {TABLE} SET created_at = %s WHERE id = %s",
            [created_at.get_db_prep_value(now - dt.timedelta(days=800), connection), old.pk],
        )

    # Act
    removed = purge_audit_events_before(cutoff=now - dt.timedelta(days=365))

    # Assert
    assert removed == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    # The window was for the purge alone: the same transaction cannot delete afterwards.
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_audit_refused_outside_a_test_transaction_and_the_suite_can_still_flush():
    # Arrange: committed for real (no test transaction around it)
    event = record(actor=Actor(label="Sam"), action=AuditEvent.Action.EXPORTED, summary="Exported")

    # Act / Assert: refused; and the flush after this test (DELETE on SQLite) still works
    with pytest.raises(DatabaseError):
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
