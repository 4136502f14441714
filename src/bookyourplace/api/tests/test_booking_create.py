"""Booking through the API: the public form's rules, checks and messages, its refusals as problems."""

import pytest

from bookyourplace.api.testing import booking_body, problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import ApprovalMode, Question

pytestmark = pytest.mark.django_db


def _book(api, session, **overrides):
    return api.post(f"/api/sessions/{session.pk}/bookings", booking_body(**overrides))


def test_booking_a_free_place_confirms_it_and_emails_the_attendee(api, session):
    response = _book(api, session)
    assert response.status_code == 201
    body = response.json()
    booking = Booking.objects.get()
    assert body["reference"] == booking.reference
    assert body["status"] == "confirmed"
    assert body["attendee"]["email"] == "sam.patel@nhs.net"
    assert bookings_testing.emails_to("sam.patel@nhs.net") == ["confirmation"]
    entry = AuditEvent.objects.get(action=AuditEvent.Action.BOOKED)
    assert entry.actor_label == "API token Learning records"
    assert entry.ip_address == "127.0.0.1"


def test_every_field_problem_is_named_at_once(api, programme, session):
    question = Question.objects.create(
        programme=programme,
        kind=Question.Kind.ONE_CHOICE,
        label="Your role",
        choices=["Teacher", "Nurse"],
        required=True,
    )
    response = _book(
        api,
        session,
        first_name="",
        last_name="Patel\nJones",
        email="not-an-email",
        organisation="x" * 201,
        consent=False,
        answers={str(question.pk): "Astronaut", "colour": "blue"},
    )
    assert response.status_code == 422
    problem = problem_of(response)
    assert problem["type"] == "/api/docs#problem-invalid-request"
    errors = {(e["field"], e["message"]) for e in problem["errors"]}
    assert errors == {
        ("first_name", "Enter your first name"),
        ("last_name", "Last name must not contain line breaks or special characters"),
        ("email", "Enter an email address in the correct format, like name@example.com"),
        ("organisation", "Organisation must be 200 characters or fewer"),
        ("consent", "Confirm that you agree to how we use your information"),
        (f"answers.{question.pk}", "Select your role from the list"),
        ("answers.colour", "This is not the id of a question."),
    }
    assert not Booking.objects.exists()


def test_a_field_of_the_wrong_type_is_named(api, session):
    response = _book(api, session, sector="astronomy", consent="perhaps")
    assert response.status_code == 422
    fields = {e["field"] for e in problem_of(response)["errors"]}
    assert fields == {"sector", "consent"}


def test_answers_are_checked_and_kept(api, programme, session):
    children = Question.objects.create(
        programme=programme, kind=Question.Kind.YES_NO, label="Do you work with children?"
    )
    topics = Question.objects.create(
        programme=programme, kind=Question.Kind.SEVERAL_CHOICES, label="Topics", choices=["Online", "Schools", "Health"]
    )
    missing = _book(api, session, answers={str(topics.pk): ["Schools"]})
    assert problem_of(missing)["errors"] == [
        {
            "field": f"answers.{children.pk}",
            "location": "body",
            "message": "Select yes or no for ‘Do you work with children?’",
        }
    ]
    response = _book(api, session, answers={str(children.pk): "yes", str(topics.pk): ["Health", "Online"]})
    assert response.status_code == 201
    kept = dict(Answer.objects.values_list("question_label", "value"))
    assert kept == {"Do you work with children?": "Yes", "Topics": "Online\nHealth"}


def test_a_full_session_refuses_unless_the_waiting_list_is_asked_for(api, make_session):
    full = make_session(capacity=1)
    bookings_testing.book(full, "first@example.org")
    refused = _book(api, full)
    assert refused.status_code == 409
    problem = problem_of(refused)
    assert problem["type"] == "/api/docs#problem-session-full"
    assert problem["detail"] == "Sorry, this session is fully booked."
    waiting = _book(api, full, join_waiting_list=True)
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waiting"
    assert bookings_testing.places_taken(full) == 1


def test_approval_and_confirming_the_address_apply_as_on_the_public_form(api, make_session):
    approval = make_session(approval_mode=ApprovalMode.APPROVAL)
    assert _book(api, approval).json()["status"] == "pending"
    trusted = make_session(approval_mode=ApprovalMode.TRUSTED_DOMAINS, trusted_domains="nhs.net")
    assert _book(api, trusted).json()["status"] == "unconfirmed_email"


def test_the_same_address_twice_is_refused_as_already_booked(api, session):
    assert _book(api, session).status_code == 201
    again = _book(api, session, email="SAM.PATEL@nhs.net")
    assert again.status_code == 409
    assert problem_of(again)["type"] == "/api/docs#problem-already-booked"
    assert Booking.objects.count() == 1


def test_a_closed_session_is_refused(api, make_session):
    from django.utils import timezone

    closed = make_session(booking_closes_at=timezone.now())
    response = _book(api, closed)
    assert response.status_code == 409
    assert problem_of(response)["type"] == "/api/docs#problem-booking-closed"


def test_the_booking_forms_limit_per_email_address_holds(api, make_session, rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "2/10m"}
    sessions = [make_session(title=f"Session {n}") for n in range(3)]
    assert _book(api, sessions[0]).status_code == 201
    assert _book(api, sessions[1]).status_code == 201
    refused = _book(api, sessions[2])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert problem_of(refused)["detail"] == "Too many bookings for this email address. Try again later."
    assert Booking.objects.count() == 2
    assert Email.objects.filter(to="sam.patel@nhs.net").count() == 2
