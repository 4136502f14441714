"""The personal data page, with every app's real holder: an administrator looks a person up,
sees everything held about them in the organiser's programmes (not another organiser's),
downloads it, erases it or keeps it with a reason; attendees' requests come first."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.core.testing import text_of
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent, ErasureRequest
from bookyourplace.privacy.services import SYSTEM, Actor
from bookyourplace.privacy.subject_access import address_hash, ask_for_erasure
from bookyourplace.programmes.models import Organiser, Programme

ALEX = "alex.smith@coventry.gov.uk"
PAGE = reverse("backoffice:subject_access")
KINDS = ("Booking", "Waiting list place", "Attendance", "Feedback", "Email sent", "Certificate", "Audit entry")


@pytest.fixture
def alex_everywhere(programme, make_session, run_worker):
    """Alex booked, attended, gave feedback and has a certificate in our programme; waits for
    a place in a full session; and has a booking at another organiser."""
    programme.certificates_enabled = True
    programme.save()
    past = make_session(title="Understanding Prevent")
    attended = book(past, ALEX, first_name="Alex", last_name="Smith", access_needs="Step-free access, please")
    full = make_session(title="The COM Network", capacity=1)
    book(full, "bea.jones@coventry.gov.uk", first_name="Bea", last_name="Jones")
    book(full, ALEX, waiting=True, first_name="Alex", last_name="Smith")
    run_worker()
    end_session(past)
    mark(attended)
    answer(attended, useful="The case study about Jo Bloggs.")
    issue_certificate(booking=attended, actor=SYSTEM)
    elsewhere = Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="w@example.org"
    )
    theirs = Programme.objects.create(
        organiser=elsewhere, title="Warwickshire Week", slug="warwickshire-week", status=Programme.Status.PUBLISHED
    )
    book(make_session(programme=theirs, title="Their session"), ALEX, first_name="Alex", last_name="Smith")
    return attended


def _look_up(client, email=ALEX):
    return client.post(PAGE, {"email": email})


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_an_administrator_sees_every_kind_of_thing_held_with_counts(client, admin, alex_everywhere):
    response = _look_up(client, " Alex.Smith@Coventry.gov.uk ")

    page = text_of(response)
    assert response.status_code == 200
    for kind in KINDS:
        assert re.search(rf"\b{kind} \d+ ", page), kind
    assert "Waiting list place 1 " in page
    assert "Step-free access, please" in page
    assert "The case study about Jo Bloggs." in page
    assert "Coventry Prevent Week" in page
    assert "Warwickshire Week" not in page  # another organiser's programme


def test_the_address_is_never_in_a_url(client, admin, alex_everywhere):
    response = _look_up(client)

    assert ALEX not in " ".join(re.findall(r'(?:href|action)="([^"]*)"', response.content.decode()))


def test_nothing_held_says_so(client, admin, alex_everywhere):
    page = text_of(_look_up(client, "nobody@coventry.gov.uk"))

    assert "0 records are held about this address in your programmes." in page


def test_a_wrong_address_is_an_error_on_the_form(client, admin):
    response = client.post(PAGE, {"email": "alex at coventry"})

    assert "There is a problem Enter an email address in the correct format, like name@example.com" in text_of(response)


def test_each_look_up_and_download_is_audited_without_the_address(client, admin, alex_everywhere):
    token = _token(_look_up(client))
    client.post(reverse("backoffice:subject_access_json"), {"token": token})

    events = AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.LOOKED_UP_PERSON, AuditEvent.Action.DOWNLOADED_PERSON]
    ).order_by("id")
    assert [event.action for event in events] == [
        AuditEvent.Action.LOOKED_UP_PERSON,
        AuditEvent.Action.DOWNLOADED_PERSON,
    ]
    assert all(event.actor_label == "Hana Ali" and "alex" not in event.summary.lower() for event in events)


def test_the_json_download_parses_and_has_every_kind(client, admin, alex_everywhere):
    response = client.post(reverse("backoffice:subject_access_json"), {"token": _token(_look_up(client))})

    document = json.loads(response.content)
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert "alex" not in response["Content-Disposition"]
    assert document["email"] == ALEX
    assert {kind["kind"] for kind in document["kinds"]} >= set(KINDS)
    bookings = next(kind for kind in document["kinds"] if kind["kind"] == "Booking")
    assert [record["details"]["Session"] for record in bookings["records"]] == ["Understanding Prevent"]


def test_the_pdf_download_reads_as_the_page(client, admin, alex_everywhere):
    response = client.post(reverse("backoffice:subject_access_pdf"), {"token": _token(_look_up(client))})

    assert response["Content-Type"] == "application/pdf"
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert ALEX in text
    assert "Understanding Prevent" in text
    assert "The COM Network" in text
    assert "Step-free access, please" in text
    assert "Warwickshire Week" not in text


def test_a_download_needs_this_administrators_recent_token(client, admin, organiser, alex_everywhere):
    token = _token(_look_up(client))
    colleague = make_person(organiser, Role.ADMINISTRATOR, email="ade@coventry.gov.uk").user
    sign_in_as(client, colleague)

    response = client.post(reverse("backoffice:subject_access_json"), {"token": token})

    assert response.status_code == 302
    assert response.url == PAGE
    assert "Look the person up again" in text_of(client.get(PAGE))


def test_erasing_asks_first_naming_what_will_be_anonymised(client, admin, alex_everywhere):
    response = client.post(reverse("backoffice:subject_access_erase"), {"token": _token(_look_up(client))})

    page = text_of(response)
    assert "Erase this person's details?" in page
    assert "Booking: 1" in page and "Feedback: 1" in page
    assert Booking.objects.filter(email=ALEX).count() == 3  # nothing changed yet


def test_erasing_without_a_reason_is_refused(client, admin, alex_everywhere):
    token = _token(_look_up(client))

    response = client.post(reverse("backoffice:subject_access_erase"), {"token": token, "reason": " "})

    assert "There is a problem Enter the reason" in text_of(response)
    assert Booking.objects.filter(email=ALEX).count() == 3


def test_erasing_anonymises_them_in_our_programmes_and_records_the_reason(client, admin, alex_everywhere):
    token = _token(_look_up(client))

    response = client.post(
        reverse("backoffice:subject_access_erase"), {"token": token, "reason": "They asked; nothing to keep."}
    )

    assert response.status_code == 302
    assert "Their details are erased" in text_of(client.get(PAGE))
    assert list(Booking.objects.filter(email=ALEX).values_list("session__programme__title", flat=True)) == [
        "Warwickshire Week"
    ]
    assert not Booking.objects.filter(first_name="Alex", session__programme=alex_everywhere.session.programme).exists()
    assert not Email.objects.filter(to=ALEX, booking__session__programme=alex_everywhere.session.programme).exists()
    decision = ErasureRequest.objects.get()
    assert (decision.status, decision.reason, decision.decided_by_label, decision.email) == (
        ErasureRequest.Status.ERASED,
        "They asked; nothing to keep.",
        "Hana Ali",
        "",
    )
    again = text_of(_look_up(client))
    assert "0 records are held about this address in your programmes." in again
    assert "Reason: They asked; nothing to keep." in again


def test_keeping_records_the_reason_and_shows_it_to_whoever_looks_next(client, admin, organiser, alex_everywhere):
    token = _token(_look_up(client))

    client.post(
        reverse("backoffice:subject_access_keep"), {"token": token, "reason": "An ongoing safeguarding concern."}
    )

    assert Booking.objects.filter(email=ALEX).count() == 3
    sign_in_as(client, make_person(organiser, Role.ADMINISTRATOR, email="ade@coventry.gov.uk").user)
    page = text_of(_look_up(client))
    assert "Kept on" in page and "by Hana Ali Reason: An ongoing safeguarding concern." in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.KEPT_DETAILS).count() == 1


def test_attendees_requests_come_first_with_a_count_in_the_navigation(client, admin, alex_everywhere):
    ask_for_erasure(
        email=ALEX, organiser_id=alex_everywhere.session.programme.organiser_id, programme_id=None, actor=SYSTEM
    )

    page = text_of(client.get(PAGE))

    assert "Personal data (1 request)" in page
    assert page.index(ALEX) < page.index("Look someone up")
    asked = ErasureRequest.objects.get()
    looked_up = text_of(client.get(reverse("backoffice:erasure_request", kwargs={"request_id": asked.pk})))
    assert "They asked for their details to be deleted" in looked_up
    assert "Understanding Prevent" in looked_up


def test_deciding_closes_the_request(client, admin, alex_everywhere):
    ask_for_erasure(
        email=ALEX, organiser_id=alex_everywhere.session.programme.organiser_id, programme_id=None, actor=SYSTEM
    )
    asked = ErasureRequest.objects.get()
    token = _token(client.get(reverse("backoffice:erasure_request", kwargs={"request_id": asked.pk})))

    client.post(reverse("backoffice:subject_access_keep"), {"token": token, "reason": "A legal claim."})

    asked.refresh_from_db()
    assert (asked.status, asked.email) == (ErasureRequest.Status.KEPT, "")
    assert "Nobody is waiting for a decision." in text_of(client.get(PAGE))
    assert "Personal data (" not in text_of(client.get(PAGE))


def test_another_organisers_requests_are_not_listed(client, admin, alex_everywhere):
    theirs = Organiser.objects.get(slug="warwickshire")
    ask_for_erasure(email=ALEX, organiser_id=theirs.pk, programme_id=None, actor=SYSTEM)

    page = text_of(client.get(PAGE))

    assert "Nobody is waiting for a decision." in page
    assert ALEX not in page


def test_reapply_erasures_after_a_restore_erases_them_again(client, admin, alex_everywhere):
    """A restore is simulated: the rows as they were before the erasure are put back."""
    programme = alex_everywhere.session.programme
    before = list(Booking.objects.filter(email=ALEX, session__programme=programme).values())
    client.post(
        reverse("backoffice:subject_access_erase"), {"token": _token(_look_up(client)), "reason": "They asked."}
    )
    assert not Booking.objects.filter(email=ALEX, session__programme=programme).exists()
    for row in before:
        Booking.objects.filter(pk=row["id"]).update(**{k: v for k, v in row.items() if k != "id"})
    assert Booking.objects.filter(email=ALEX, session__programme=programme).count() == 2

    call_command("reapply_erasures", verbosity=0)

    assert not Booking.objects.filter(email=ALEX, session__programme=programme).exists()
    assert not Booking.objects.filter(first_name="Alex", session__programme=programme).exists()
    assert Booking.objects.filter(email=ALEX).count() == 1  # the other organiser's, never erased
    assert ErasureRequest.objects.get().email_hash == address_hash(ALEX)


def test_a_superuser_sees_every_organiser(client, alex_everywhere, django_user_model):
    superuser = django_user_model.objects.create_superuser("root@coventry.gov.uk", "root@coventry.gov.uk", "x")
    sign_in_as(client, superuser)

    page = text_of(_look_up(client))

    assert "Warwickshire Week" in page and "Coventry Prevent Week" in page


def test_erasure_is_recorded_in_the_audit_log_with_the_reason(client, admin, alex_everywhere):
    client.post(
        reverse("backoffice:subject_access_erase"), {"token": _token(_look_up(client)), "reason": "They asked."}
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED_PERSON)
    assert "They asked." in event.summary
    assert "alex" not in event.summary.lower()
    assert event.actor_label == Actor(label="Hana Ali").name
