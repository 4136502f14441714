"""Removing a person from the audit log: the one sanctioned rewrite changes only the personal
parts of the entries about them (label, address, summary), inside its own window; the
database refuses everything else, inside the window as outside it."""

import pytest
from django.db import DatabaseError, connection, transaction

from bookyourplace.privacy.audit_personal_data import _anonymising_window, anonymise_audit_entries
from bookyourplace.privacy.audit_personal_data import erase as erase_from_audit_log
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record

TABLE = AuditEvent._meta.db_table


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def booked(db):
    """Alex booked (acting themselves, from their address); an organiser then approved it."""
    by_alex = AuditEvent.objects.create(
        actor_label="Alex Smith",
        ip_address="198.51.100.23",
        action=AuditEvent.Action.BOOKED,
        subject_type="booking",
        subject_id="41",
        summary="Confirmed: B-1234 for Alex Smith on 'Prevent awareness'",
        programme_id=7,
    )
    by_organiser = AuditEvent.objects.create(
        actor_label="Sam Organiser",
        ip_address="192.0.2.7",
        action=AuditEvent.Action.APPROVED_BOOKING,
        subject_type="booking",
        subject_id="41",
        summary="Approved B-1234 (Alex Smith)",
        programme_id=7,
    )
    return by_alex, by_organiser


def test_anonymising_a_subject_removes_the_person_and_keeps_what_happened(booked):
    by_alex, by_organiser = booked

    changed = anonymise_audit_entries(
        subject_type="booking", words_by_subject={41: ("Alex Smith", "alex.smith@coventry.gov.uk")}
    )

    by_alex, by_organiser = (AuditEvent.objects.get(pk=event.pk) for event in booked)
    assert changed == 2
    assert (by_alex.actor_label, by_alex.ip_address, by_alex.summary) == (
        "Anonymised",
        None,
        "Confirmed: B-1234 for Anonymised on 'Prevent awareness'",
    )
    assert (by_alex.action, by_alex.subject_id, by_alex.programme_id) == (AuditEvent.Action.BOOKED, "41", 7)
    # The organiser acted, not the person: their name and address stay.
    assert (by_organiser.actor_label, by_organiser.ip_address, by_organiser.summary) == (
        "Sam Organiser",
        "192.0.2.7",
        "Approved B-1234 (Anonymised)",
    )


def test_erasing_an_address_from_the_audit_log_rewrites_every_entry_quoting_it(db):
    quoted = record(
        actor=Actor(label="Sam Organiser"),
        action=AuditEvent.Action.RESENT_CONFIRMATION,
        summary="Re-sent the confirmation of B-1234 to Alex.Smith@coventry.gov.uk",
    )

    erase_from_audit_log("alex.smith@coventry.gov.uk")

    assert AuditEvent.objects.get(pk=quoted.pk).summary == "Re-sent the confirmation of B-1234 to [address removed]"
    assert not AuditEvent.objects.filter(summary__icontains="alex.smith").exists()


def test_outside_the_window_rewriting_a_summary_is_still_refused(booked):
    by_alex, _ = booked

    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["Nothing happened", by_alex.pk])

    assert AuditEvent.objects.get(pk=by_alex.pk).summary == by_alex.summary


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "bookings.exported"), ("subject_id", "99"), ("programme_id", 8), ("created_at", "2020-01-01 00:00:00")],
)
def test_inside_the_window_changing_anything_but_the_personal_parts_is_refused(booked, column, value):
    by_alex, _ = booked

    with pytest.raises(DatabaseError), transaction.atomic(), _anonymising_window() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s, summary = 'x' WHERE id = %s", [value, by_alex.pk])

    current = AuditEvent.objects.get(pk=by_alex.pk)
    assert (current.action, current.subject_id, current.programme_id, current.created_at, current.summary) == (
        by_alex.action,
        by_alex.subject_id,
        by_alex.programme_id,
        by_alex.created_at,
        by_alex.summary,
    )


def test_inside_the_window_deleting_is_refused(booked):
    with pytest.raises(DatabaseError), transaction.atomic(), _anonymising_window() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")

    assert AuditEvent.objects.count() == 2


def test_the_window_closes_again_within_the_same_transaction(booked):
    by_alex, _ = booked

    with pytest.raises(DatabaseError), transaction.atomic():
        with _anonymising_window() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET summary = 'first' WHERE id = %s", [by_alex.pk])
        raw(f"UPDATE {TABLE} SET summary = 'second' WHERE id = %s", [by_alex.pk])

    assert AuditEvent.objects.get(pk=by_alex.pk).summary == by_alex.summary
