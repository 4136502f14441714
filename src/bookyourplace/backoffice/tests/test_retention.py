"""The retention page (administrators): what the coming runs will anonymise, day by day and
per programme, only in the administrator's own organiser's programmes; "Run it now" audited
and done by the worker; and the two periods set on a programme's booking rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent, RetentionRun
from bookyourplace.programmes.models import Organiser, Programme, Session

PAGE = reverse("backoffice:retention")


@pytest.fixture
def due_in_ten_days(session):
    """Three bookings of a programme whose people are due to be anonymised in ten days; one
    asked for a hearing loop, due to go already."""
    book(session, "alex@example.org", access_needs="A hearing loop")
    book(session, "bea@example.org")
    book(session, "cai@example.org")
    return end_session(session, ago=timedelta(days=731 - 10))


def elsewhere(make_session):
    """Another organiser's programme, due too: never on our page."""
    other = Organiser.objects.create(name="Warwickshire", slug="warks", contact_email="w@example.org")
    programme = Programme.objects.create(organiser=other, title="Warwickshire WRAP", slug="wrap", status="published")
    session = make_session(programme=programme)
    book(session, "dee@example.org")
    return end_session(session, ago=timedelta(days=24 * 31 + 5))


def test_the_dry_run_says_what_each_coming_run_anonymises(client, admin, due_in_ten_days, make_session):
    elsewhere(make_session)

    shown = text_of(client.get(PAGE))

    assert "Access needs removed 1 in 1 programme" in shown
    assert "Bookings anonymised 3 in 1 programme" in shown
    assert "Due now" in shown
    assert "Coventry Prevent Week" in shown
    assert "Warwickshire" not in shown and "WRAP" not in shown


def test_nothing_due_says_so(client, admin, session):
    book(session, "alex@example.org")

    assert "Nothing will be anonymised in the next 30 days." in text_of(client.get(PAGE))


def test_run_it_now_is_audited_done_by_the_worker_and_followed_on_the_page(client, admin, due_in_ten_days, run_worker):
    response = client.post(reverse("backoffice:retention_run"))

    assert response.status_code == 302
    assert "Waiting for the worker to start it" in text_of(client.get(PAGE))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN_ASKED, actor_label="Hana Ali").exists()

    run_worker()

    shown = text_of(client.get(PAGE))
    assert "Run now, asked for by an administrator, finished on" in shown
    assert "1 record anonymised." in shown, shown  # the access needs: the people are not due yet
    assert list(Booking.objects.exclude(access_needs="").values_list("email", flat=True)) == []
    assert Booking.objects.filter(anonymised_at__isnull=False).count() == 0
    assert RetentionRun.objects.get().counts["bookings"] == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN).count() == 1


def test_the_periods_are_set_on_the_booking_rules(client, admin, programme):
    url = reverse("backoffice:programme_rules", kwargs={"programme_id": programme.pk})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["reminder_days"] = ", ".join(str(day) for day in data.get("reminder_days") or [])
    data.update(retention_months="36", access_needs_retention_days="7")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert (programme.retention_months, programme.access_needs_retention_days) == (36, 7)


def test_a_period_out_of_range_is_refused_with_a_message(client, admin, programme):
    url = reverse("backoffice:programme_rules", kwargs={"programme_id": programme.pk})

    response = client.post(url, {"retention_months": "0", "access_needs_retention_days": "x"})

    errors = response.context["form"].errors
    assert errors["retention_months"] == ["Keep people's details for at least 1 month"]
    assert errors["access_needs_retention_days"] == ["Enter a whole number of days, like 30"]


def test_the_daily_run_is_part_of_the_minute_by_minute_work(session, run_worker):
    from bookyourplace.bookings.periodic import run_once

    book(session, "alex@example.org")
    end_session(session, ago=timedelta(days=24 * 31 + 1))
    night = timezone.localtime().replace(hour=3, minute=0)

    run_once(now=night)
    run_worker()

    assert Booking.objects.get().full_name == "Anonymised"
    assert Session.objects.count() == 1
