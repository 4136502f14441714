"""One way to refuse (issue 11, point 3): every service says no with a DomainError, and the
back office shows one in one place (backoffice/errors.py) the same way on every page."""

import inspect

import pytest
from django import forms
from django.urls import reverse

from bookyourplace.accounts import services as accounts
from bookyourplace.accounts.errors import StaffMemberError, TwoFactorError
from bookyourplace.accounts.testing import staff
from bookyourplace.backoffice.errors import add_to_form
from bookyourplace.bookings import approvals, messaging, reminders
from bookyourplace.bookings import errors as booking_errors
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.core.errors import DomainError
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import actor_for


class PersonForm(forms.Form):
    email = forms.EmailField()
    role = forms.CharField()


def valid_form() -> PersonForm:
    form = PersonForm({"email": "sam@coventry.gov.uk", "role": "organiser"})
    assert form.is_valid()
    return form


def test_a_refusal_about_a_field_goes_on_that_field():
    form = valid_form()

    add_to_form(form, StaffMemberError("There is already an account with this email address", field="email"))

    assert form.errors == {"email": ["There is already an account with this email address"]}


def test_a_refusal_about_no_field_of_the_form_goes_above_it():
    form = valid_form()

    add_to_form(form, booking_errors.SessionFull())
    add_to_form(form, StaffMemberError("Choose programmes of your own organisation", field="programmes"))

    assert form.non_field_errors() == [
        "Sorry, this session is fully booked.",
        "Choose programmes of your own organisation",
    ]
    assert "email" not in form.errors and "role" not in form.errors


def test_a_refusal_with_several_problems_puts_each_on_its_field_and_keeps_the_forms_own():
    form = PersonForm({"email": "not an address", "role": "organiser"})
    assert not form.is_valid()

    add_to_form(form, messaging.InvalidMessage({"email": ["Another problem"], "role": ["Subject must be on one line"]}))

    assert form.errors["email"] == ["Enter a valid email address."]
    assert form.errors["role"] == ["Subject must be on one line"]


@pytest.mark.parametrize(
    "refusal",
    [
        booking_errors.BookingError,
        *booking_errors.BookingError.__subclasses__(),
        approvals.NotAwaitingApproval,
        StaffMemberError,
        TwoFactorError,
        messaging.InvalidMessage,
        messaging.NobodyToMessage,
        reminders.InvalidReminderDays,
    ],
)
def test_every_service_refusal_is_a_domain_error(refusal):
    assert issubclass(refusal, DomainError)


@pytest.mark.parametrize(
    "service",
    [
        record_booking_event,
        messaging.check_message,
        accounts.pending_authenticator,
        accounts.add_staff_member,
        accounts.change_staff_member,
        accounts.deactivate_staff_member,
        accounts.confirm_authenticator,
        accounts.reset_two_factor,
    ],
)
def test_services_take_keyword_arguments_only(service):
    parameters = inspect.signature(service).parameters.values()
    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY for parameter in parameters)
    assert all(parameter.annotation is not inspect.Parameter.empty for parameter in parameters)


def test_the_actor_of_a_request_is_named_by_keyword_only(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    with pytest.raises(TypeError):
        actor_for(request, "Alex Jones")
    assert actor_for(request, label="Alex Jones").ip_address == "203.0.113.7"


def test_every_problem_of_a_message_is_shown_at_once(client, organiser, programme, session, attendees):
    client.force_login(staff(organiser, "organiser", programme, last_name=""))

    response = client.post(
        reverse("backoffice:session_message", args=[session.pk]),
        {"subject": "Hi {nmae}", "body": "Dear {first_name, see you", "action": "preview"},
    )

    page = text_of(response)
    assert "There is a problem" in page
    assert "Unknown placeholder {nmae}" in page
    assert "Check the curly brackets" in page
    assert b'name="action" value="send"' not in response.content
