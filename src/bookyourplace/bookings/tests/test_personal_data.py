"""A booking's personal data: anonymised when its programme's retention period is over (access
needs sooner), erased on request, found for subject access. The booking itself stays, with
everything the reports count."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookyourplace.bookings import links
from bookyourplace.bookings import personal_data as held
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import resend_confirmation
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Programme

LONG_AGO = timedelta(days=24 * 31 + 1)  # past the default 24 months


@pytest.fixture
def alex(session):
    return book(
        session,
        "alex.smith@coventry.gov.uk",
        access_needs="A hearing loop, please",
        line_manager_email="pat.jones@coventry.gov.uk",
    )


def test_a_programme_past_its_retention_period_has_its_people_anonymised(session, alex):
    token = links.manage_token(alex)
    end_session(session, ago=LONG_AGO)

    changed = held.anonymise_due(timezone.now())

    alex.refresh_from_db()
    assert changed >= 1
    assert (alex.full_name, alex.job_title, alex.access_needs, alex.line_manager_email) == ("Anonymised", "", "", "")
    assert alex.email.startswith("anonymised-") and alex.email.endswith("@invalid")
    assert alex.anonymised_at is not None
    # What the reports count is kept.
    assert (alex.status, alex.sector, alex.organisation) == (
        Booking.Status.CONFIRMED,
        "childrens_services",
        "Coventry City Council",
    )
    # The old manage link opens nothing.
    assert links.find_booking_by_token(token) is None


def test_its_emails_and_audit_entries_lose_the_person_too(session, alex):
    resend_confirmation(booking_id=alex.pk, actor=Actor(label="Sam Organiser"))
    end_session(session, ago=LONG_AGO)

    held.anonymise_due(timezone.now())

    assert not Email.objects.filter(to__icontains="alex.smith").exists()
    assert not Email.objects.filter(to__icontains="pat.jones").exists()
    about_alex = AuditEvent.objects.filter(subject_type="booking", subject_id=str(alex.pk))
    assert about_alex.count() >= 2
    assert not about_alex.filter(summary__icontains="Alex Smith").exists()
    assert not about_alex.filter(summary__icontains="alex.smith").exists()
    assert not about_alex.filter(actor_label="Alex Smith").exists()
    assert not about_alex.filter(actor_id__isnull=True, ip_address__isnull=False).exclude(actor_label="Sam Organiser")


def test_a_programme_still_within_its_period_is_left_alone(session, alex, programme):
    end_session(session, ago=timedelta(days=400))  # 13 months: within 24

    held.anonymise_due(timezone.now())

    alex.refresh_from_db()
    assert alex.full_name == "Alex Smith"
    assert alex.anonymised_at is None
    # Shorter period, and the programme is due.
    programme.retention_months = 12
    programme.save(update_fields=["retention_months"])
    held.anonymise_due(timezone.now())
    alex.refresh_from_db()
    assert alex.full_name == "Anonymised"


def test_a_programme_with_a_session_still_to_come_is_not_due(session, alex, make_session):
    make_session(starts_at=timezone.now() + timedelta(days=60))
    end_session(session, ago=LONG_AGO)

    held.anonymise_due(timezone.now())

    alex.refresh_from_db()
    assert alex.anonymised_at is None


def test_access_needs_go_on_their_own_after_their_days(session, alex):
    end_session(session, ago=timedelta(days=31))

    changed = held.anonymise_due(timezone.now())

    alex.refresh_from_db()
    assert changed == 1
    assert alex.access_needs == ""
    assert (alex.full_name, alex.email, alex.anonymised_at) == ("Alex Smith", "alex.smith@coventry.gov.uk", None)


def test_access_needs_are_kept_until_their_days_are_up(session, alex):
    end_session(session, ago=timedelta(days=29))

    held.anonymise_due(timezone.now())

    alex.refresh_from_db()
    assert alex.access_needs == "A hearing loop, please"


def test_two_bookings_of_one_person_anonymised_together_stay_one_person(session, alex, make_session):
    other = make_session(starts_at=session.starts_at + timedelta(days=1))
    second = book(other, "alex.smith@coventry.gov.uk")
    someone_else = book(other, "bea.jones@coventry.gov.uk", first_name="Bea", last_name="Jones")
    end_session(other, ago=LONG_AGO)
    end_session(session, ago=LONG_AGO + timedelta(days=1))

    held.anonymise_due(timezone.now())

    emails = dict(Booking.objects.values_list("pk", "email"))
    assert emails[alex.pk] == emails[second.pk]
    assert emails[someone_else.pk] != emails[alex.pk]


def test_one_active_booking_per_address_still_holds_after_anonymising(session, alex):
    end_session(session)
    held.erase("alex.smith@coventry.gov.uk")
    alex.refresh_from_db()

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session,
            reference="DUPLICATE1",
            first_name="X",
            last_name="Y",
            email=alex.email,
            organisation="O",
            sector="other",
            job_title="J",
            consented_at=timezone.now(),
            manage_token_seed="s",
            manage_token_hash="h",
        )


def test_erasing_an_address_anonymises_its_bookings_and_takes_it_off_as_a_line_manager(session, alex):
    bea = book(session, "bea.jones@coventry.gov.uk", first_name="Bea", line_manager_email="alex.smith@coventry.gov.uk")

    held.erase("Alex.Smith@coventry.gov.uk")

    alex.refresh_from_db()
    bea.refresh_from_db()
    assert alex.full_name == "Anonymised"
    assert (bea.first_name, bea.line_manager_email, bea.anonymised_at) == ("Bea", "", None)
    assert not Email.objects.filter(to__iexact="alex.smith@coventry.gov.uk").exists()


def test_erasing_within_some_programmes_leaves_the_others(session, alex, organiser, make_session):
    elsewhere = Programme.objects.create(organiser=organiser, title="Elsewhere", slug="elsewhere", status="published")
    kept = book(make_session(programme=elsewhere), "alex.smith@coventry.gov.uk")

    held.erase("alex.smith@coventry.gov.uk", programme_ids=[session.programme_id])

    kept.refresh_from_db()
    assert kept.full_name == "Alex Smith"


def test_subject_access_finds_the_bookings_emails_and_audit_entries(session, alex, run_worker):
    run_worker()

    found = held.find("alex.smith@coventry.gov.uk")

    kinds = [record.kind for record in found]
    assert kinds.count("Booking") == 1
    assert "Email sent" in kinds
    assert "Audit entry" in kinds
    booking = next(record for record in found if record.kind == "Booking")
    assert booking.fields["Access needs"] == "A hearing loop, please"
    assert booking.programme == "Coventry Prevent Week"
    assert [r.kind for r in held.find("pat.jones@coventry.gov.uk")] == ["Named as a line manager"]


def test_nothing_is_found_once_anonymised(session, alex):
    held.erase("alex.smith@coventry.gov.uk")

    assert held.find("alex.smith@coventry.gov.uk") == []
    assert "alex.smith@coventry.gov.uk" not in held.addresses()


def test_the_schedule_says_when_each_programme_and_session_falls_due(session, alex, programme):
    end_session(session, ago=timedelta(days=10))
    session.refresh_from_db()
    now = timezone.now()

    due = held.schedule(now, now + timedelta(days=30))

    assert [(item.kind, item.count, item.programmes, item.when) for item in due] == [
        (held.ACCESS_NEEDS_REMOVED, 1, (programme.title,), session.ends_at + timedelta(days=30))
    ]
    assert held.due(now) == []


def test_erasing_gives_up_a_place_still_to_come_to_the_next_person_waiting(make_session):
    full = make_session(capacity=1)
    alex = book(full, "alex.smith@coventry.gov.uk")
    bea = book(full, "bea@example.org", waiting=True)

    held.erase("alex.smith@coventry.gov.uk")

    alex.refresh_from_db()
    bea.refresh_from_db()
    assert (alex.status, alex.full_name) == (Booking.Status.CANCELLED, "Anonymised")
    assert bea.status == Booking.Status.OFFERED
    # Nothing will be sent to the person: the cancellation was cleared with the rest.
    assert not Email.objects.filter(booking=alex, status=Email.Status.QUEUED).exists()
