"""Once a person's details are removed (erased on request, or past the retention period) they
cannot be found again: not by the back office's searches, exports, email records, audit log,
feedback CSV or register, nor by the certificate check or subject access; and the reports
give the same totals as before. Each path is searched by the old name and address, after
making sure it did find them before."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookyourplace.attendance.services import add_walk_in
from bookyourplace.bookings import messaging
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import resend_confirmation
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.core.testing import text_of
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.notifications.models import Email
from bookyourplace.privacy import retention
from bookyourplace.privacy.erasure import erase_person
from bookyourplace.privacy.models import AuditEvent, RetentionRun
from bookyourplace.privacy.personal_data import holders
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.attendance_rates import attendance_rates
from bookyourplace.reports.audience import audience
from bookyourplace.reports.evaluation import evaluation
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.uptake import uptake

ALEX = "alex.smith@coventry.gov.uk"
MANAGER = "pat.manager@coventry.gov.uk"
ORGANISER = Actor(label="Hana Ali", ip_address="192.0.2.7")
OLD_WORDS = ("Alex", "Smith", "alex.smith", "pat.manager", "hearing loop", "Youth offending")


@pytest.fixture
def history(session, make_session, run_worker):
    """Alex and Bea on a session that has happened: emails sent, a message, attended, feedback
    with a comment naming Alex, a certificate; a walk-in with Alex's address at another one."""
    alex = book(
        session,
        ALEX,
        job_title="Youth offending officer",
        access_needs="A hearing loop, please",
        line_manager_email=MANAGER,
    )
    bea = book(session, "bea.jones@example.org", first_name="Bea", last_name="Jones", sector="schools")
    resend_confirmation(booking_id=alex.pk, actor=ORGANISER)
    messaging.send_message(
        programme=session.programme,
        session=session,
        subject="Slides",
        body="Dear {first_name}, the slides are attached.",
        idempotency_key="slides-1",
        actor=ORGANISER,
    )
    run_worker()
    end_session(session)
    for booking in (alex, bea):
        mark(booking)
    answer(alex, satisfaction=5, before=2, after=4, useful="Alex Smith says: the case studies")
    answer(bea, satisfaction=4, before=3, after=4, useful="Good")
    certificate = issue_certificate(booking=Booking.objects.get(pk=alex.pk), actor=ORGANISER)
    add_walk_in(session=session, first_name="Alex", last_name="Smith", email=ALEX, actor=ORGANISER)
    return {"alex": alex, "bea": bea, "session": session, "certificate": certificate}


def forget_alex(how, history):
    if how == "erased":
        erase_person(ALEX, reason="Asked by email on 1 December", actor=ORGANISER)
    else:
        end_session(history["session"], ago=timedelta(days=24 * 31 + 1))
        run = RetentionRun.objects.create(trigger=RetentionRun.Trigger.DAILY, day=timezone.localdate())
        retention.perform(run)


def totals():
    everything, allowed = ReportFilter(), Programme.objects.all()
    reach = audience(everything, allowed)
    rates = attendance_rates(everything, allowed)
    taken_up = uptake(everything, allowed)
    evaluated = evaluation(everything, allowed).total
    return {
        "uptake": (taken_up.capacity, taken_up.confirmed, taken_up.cancellations),
        "attendance": [(row.title, row.outcomes) for row in rates.sessions] if hasattr(rates, "sessions") else rates,
        "sectors": reach.sectors,
        "organisations": reach.organisations,
        "people": (reach.people, reach.new),
        "feedback": (evaluated.asked, evaluated.answered, evaluated.satisfaction, evaluated.confidence),
    }


def assert_none_of_the_old_words_in(text: str, where: str) -> None:
    found = [word for word in OLD_WORDS if word.lower() in text.lower()]
    assert found == [], f"{where} still shows {found}"


@pytest.fixture(params=["erased", "retention"])
def how(request):
    return request.param


def test_the_searches_and_exports_find_them_before_and_not_after(client, admin, history, how):
    session = history["session"]
    pages = {
        "bookings search by name": reverse("backoffice:session_bookings", kwargs={"session_id": session.pk})
        + "?q=Alex+Smith",
        "bookings search by address": reverse("backoffice:session_bookings", kwargs={"session_id": session.pk})
        + f"?q={ALEX}",
        "booking page": reverse("backoffice:booking", kwargs={"booking_id": history["alex"].pk}),
        "register search": reverse("backoffice:register", kwargs={"session_id": session.pk}) + "?q=Smith",
        "audit log by person": reverse("backoffice:audit_log") + "?person=Alex",
        "audit log": reverse("backoffice:audit_log"),
        "bookings CSV": reverse("backoffice:session_export_csv", kwargs={"session_id": session.pk}),
        "feedback CSV": reverse("backoffice:session_feedback_csv", kwargs={"session_id": session.pk}),
        "feedback page": reverse("backoffice:session_feedback", kwargs={"session_id": session.pk}),
    }

    def read(url):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.get("Content-Type", "").startswith("text/html"):
            return text_of(response)
        return b"".join(response).decode() if response.streaming else response.content.decode()

    before = {where: read(url) for where, url in pages.items()}
    assert all("Smith" in text or "alex" in text.lower() for text in before.values()), before

    forget_alex(how, history)

    for where, url in pages.items():
        assert_none_of_the_old_words_in(read(url), where)


def test_the_spreadsheet_export_shows_them_no_more(client, admin, history, how):
    import io

    from openpyxl import load_workbook

    url = reverse("backoffice:session_export_xlsx", kwargs={"session_id": history["session"].pk})

    forget_alex(how, history)

    sheet = load_workbook(io.BytesIO(b"".join(client.get(url)))).active
    cells = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert_none_of_the_old_words_in(cells, "bookings spreadsheet")
    assert "Anonymised" in cells and "Bea" in cells or how == "retention"


def test_email_records_messages_and_the_audit_log_hold_them_no_more(history, how):
    assert Email.objects.filter(to=ALEX).count() >= 3  # confirmation, re-sent, message

    forget_alex(how, history)

    assert not Email.objects.filter(to__icontains="alex.smith").exists()
    assert not Email.objects.filter(to__icontains="pat.manager").exists()
    assert not Email.objects.filter(message__isnull=False, to__icontains="alex").exists()
    for field in ("summary", "actor_label"):
        for word in OLD_WORDS:
            assert not AuditEvent.objects.filter(**{f"{field}__icontains": word}).exists(), (field, word)


def test_the_certificate_check_names_no_one(client, history, how):
    url = reverse("public:certificate_verify", kwargs={"code": history["certificate"].grouped_code})

    forget_alex(how, history)

    shown = text_of(client.get(url))
    assert_none_of_the_old_words_in(shown, "certificate check")
    assert "The holder's details have been removed" in shown


def test_subject_access_finds_nothing_more_in_any_holder(history, how):
    assert all(holder.find(ALEX, programme_ids=None) for holder in holders() if holder.name in ("bookings", "walk_ins"))

    forget_alex(how, history)

    assert {holder.name: holder.find(ALEX, programme_ids=None) for holder in holders()} == {
        holder.name: [] for holder in holders()
    }
    assert not any(ALEX in list(holder.addresses()) for holder in holders())


def test_the_reports_give_the_same_totals_before_and_after(history, how):
    before = totals()

    forget_alex(how, history)

    assert totals() == before


def test_the_erasure_is_audited_without_the_address(history):
    erasure = erase_person(ALEX, reason="Asked by email on 1 December", actor=ORGANISER)

    entry = AuditEvent.objects.get(action=AuditEvent.Action.ERASED_PERSON)
    assert entry.actor_label == "Hana Ali"
    assert "alex" not in entry.summary.lower()
    assert entry.summary.startswith("Erased the details of person ")
    assert "bookings 1" in entry.summary and "walk ins 1" in entry.summary and "feedback 1" in entry.summary
    assert entry.summary.endswith("Reason: Asked by email on 1 December")
    assert erasure.counts["bookings"] == 1


def test_one_person_on_two_sessions_is_still_counted_once(session, make_session):
    second = make_session(starts_at=session.starts_at + timedelta(days=1))
    for booked in (session, second):
        book(booked, ALEX)
        book(booked, "bea.jones@example.org", first_name="Bea")
    end_session(second, ago=timedelta(days=24 * 31 + 1))
    end_session(session, ago=timedelta(days=24 * 31 + 2))
    before = totals()
    assert before["people"] == (2, 2)

    retention.perform(RetentionRun.objects.create(trigger=RetentionRun.Trigger.DAILY, day=timezone.localdate()))

    assert Booking.objects.filter(anonymised_at__isnull=False).count() == 4
    assert totals() == before
