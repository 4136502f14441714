"""An administrator reads the audit log: who did what, when, from which address."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import (
    make_person,
    sign_in_as,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme


def test_the_log_shows_when_who_from_where_and_what(client, admin, programme):
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2026, 7, 1, 8, 30, 5, tzinfo=dt.UTC)):
        record(
            actor=Actor(user=admin.user, ip_address="192.0.2.10"),
            action=AuditEvent.Action.EXPORTED,
            summary="Exported 12 bookings of Coventry Prevent Week",
            programme_id=programme.pk,
        )

    page = text_of(client.get(reverse("backoffice:audit_log")))

    # 08:30 UTC is 09:30 in London in summer.
    assert (
        "1 Jul 2026, 09:30:05 Hana Ali 192.0.2.10 Exported bookings Exported 12 bookings of Coventry Prevent Week"
        in page
    )


def test_the_log_leaves_out_other_organisers(client, admin, programme):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")
    their_admin = make_person(elsewhere, Role.ADMINISTRATOR, email="wendy@warwickshire.gov.uk", first_name="Wendy")
    record(
        actor=Actor(label="Attendee"),
        action=AuditEvent.Action.BOOKED,
        summary="Booked Their week",
        programme_id=theirs.pk,
    )
    record(actor=Actor(user=their_admin.user), action=AuditEvent.Action.SIGNED_IN, summary="Wendy signed in")
    record(
        actor=Actor(label="Attendee"),
        action=AuditEvent.Action.BOOKED,
        summary="Booked Coventry Prevent Week",
        programme_id=programme.pk,
    )

    page = text_of(client.get(reverse("backoffice:audit_log")))

    assert "Booked Coventry Prevent Week" in page
    assert "Their week" not in page and "Wendy" not in page
    assert "Showing 1 to 1 of 1 event" in page


def test_filters_narrow_the_log(client, admin, programme):
    record(
        actor=Actor(label="Priya Shah"),
        action=AuditEvent.Action.VIEWED_BOOKING,
        summary="Priya viewed",
        programme_id=programme.pk,
    )
    record(
        actor=Actor(label="Sam Patel"),
        action=AuditEvent.Action.VIEWED_BOOKING,
        summary="Sam viewed",
        programme_id=programme.pk,
    )
    record(
        actor=Actor(label="Sam Patel"),
        action=AuditEvent.Action.EXPORTED,
        summary="Sam exported",
        programme_id=programme.pk,
    )

    by_sam = text_of(client.get(reverse("backoffice:audit_log"), {"person": "sam"}))
    exports = text_of(client.get(reverse("backoffice:audit_log"), {"action": AuditEvent.Action.EXPORTED}))
    none = text_of(client.get(reverse("backoffice:audit_log"), {"date_to": "2001-01-01"}))

    assert "Sam viewed" in by_sam and "Sam exported" in by_sam and "Priya viewed" not in by_sam
    assert "Sam exported" in exports and "viewed" not in exports
    assert "No events match these filters." in none and "Clear filters" in none


def test_a_wrong_date_is_explained_and_not_applied(client, admin, programme):
    record(
        actor=Actor(label="Sam Patel"),
        action=AuditEvent.Action.EXPORTED,
        summary="Sam exported",
        programme_id=programme.pk,
    )

    response = client.get(reverse("backoffice:audit_log"), {"date_from": "2026-02-31", "date_to": "2025-01-01"})
    page = text_of(response)

    assert "There is a problem" in page
    assert "Enter the first day as a real date" in page
    assert "No events match" in page  # the valid "to" date still applies


def test_the_log_is_paginated_at_100_keeping_the_filters(client, admin, programme):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_label="Sam Patel",
            action=AuditEvent.Action.VIEWED_BOOKING,
            summary=f"Viewed booking {n}",
            programme_id=programme.pk,
        )
        for n in range(205)
    )

    first = client.get(reverse("backoffice:audit_log"), {"person": "Sam"})
    html = first.content.decode()
    last = text_of(client.get(reverse("backoffice:audit_log"), {"person": "Sam", "page": "3"}))

    assert html.count('<tr class="govuk-table__row">') == 101  # the heading row and 100 events
    assert "Showing 1 to 100 of 205 events" in text_of(first)
    assert '<nav class="govuk-pagination"' in html
    assert re.search(r'href="\?person=Sam&amp;page=2" rel="next"', html)
    assert "Showing 201 to 205 of 205 events" in last
    assert "Viewed booking 0 " in last + " "  # the oldest, on the last page


def test_the_log_cannot_be_posted_to(client, admin, programme):
    record(
        actor=Actor(label="Sam Patel"),
        action=AuditEvent.Action.EXPORTED,
        summary="Sam exported",
        programme_id=programme.pk,
    )

    assert client.post(reverse("backoffice:audit_log"), {"summary": "nothing"}).status_code == 405
    assert AuditEvent.objects.get().summary == "Sam exported"


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.VIEWER])
def test_the_log_is_for_administrators_only(client, organiser, programme, role):
    member = make_person(organiser, role, email="someone@coventry.gov.uk", programmes=(programme,))
    sign_in_as(client, member.user)
    record(
        actor=Actor(label="Sam Patel"),
        action=AuditEvent.Action.EXPORTED,
        summary="Sam exported",
        programme_id=programme.pk,
    )

    response = client.get(reverse("backoffice:audit_log"))

    assert response.status_code == 403
    assert "Sam exported" not in text_of(response)
    assert (
        f'href="{reverse("backoffice:audit_log")}"' not in client.get(reverse("backoffice:dashboard")).content.decode()
    )
