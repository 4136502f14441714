"""Sending by GOV.UK Notify, against the fake Notify API on loopback (notifications/testing.py),
which checks every request's JWT and JSON as Notify would. The emails here are the "Email
sending" page's test emails, which notifications writes itself."""

from datetime import timedelta

import jwt
import pytest
from django.core import mail
from django.utils import timezone

from bookyourplace.notifications import notify
from bookyourplace.notifications.delivery import MAX_ATTEMPTS, deliver_due
from bookyourplace.notifications.models import Email, NotifySettings
from bookyourplace.notifications.sending_settings import send_test
from bookyourplace.notifications.testing import FakeNotify, notify_settings

pytestmark = pytest.mark.django_db
TO = "alex.smith@coventry.gov.uk"


def test_an_organisation_that_sends_by_notify_sends_through_it_with_subject_and_body(organiser, fake_notify):
    settings = notify_settings(organiser, fake_notify)
    email = send_test(organiser=organiser, to=TO)

    assert deliver_due()["sent"] == 1

    assert mail.outbox == []  # not by SMTP
    (request,) = fake_notify.accepted("email")
    assert request.template_id == settings.default_template_id
    assert request.body["email_address"] == TO
    assert request.personalisation["subject"] == "Test email from Coventry Prevent Partnership"
    assert "It arrived, so it works." in request.personalisation["body"]
    assert request.body["reference"] == f"byp-email-{email.pk}"
    email.refresh_from_db()
    assert email.status == Email.Status.SENT


def test_the_jwt_is_signed_with_the_keys_secret_and_names_the_service(organiser, fake_notify):
    notify_settings(organiser, fake_notify)
    send_test(organiser=organiser, to=TO)
    deliver_due()

    (request,) = fake_notify.accepted()
    assert request.claims["iss"] == fake_notify.service_id
    assert abs(request.claims["iat"] - timezone.now().timestamp()) < 30


def test_a_key_with_the_wrong_secret_is_refused_and_the_email_fails_saying_why(organiser, fake_notify):
    stranger = FakeNotify(service_id=fake_notify.service_id)  # the same service, another secret
    notify_settings(organiser, fake_notify, api_key=stranger.api_key)
    stranger.stop()
    email = send_test(organiser=organiser, to=TO)

    assert deliver_due()["failed"] == 1

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert "403" in email.last_error and "Invalid token" in email.last_error
    assert fake_notify.requests[0].claims is None


def test_the_fake_refuses_a_token_issued_too_long_ago(fake_notify):
    """The fake's own check of iat, which the tests above rely on."""
    stale = jwt.encode(
        {"iss": fake_notify.service_id, "iat": int(timezone.now().timestamp()) - 60},
        fake_notify.secret,
        algorithm="HS256",
    )
    status, reply = fake_notify._answer("/v2/notifications/email", {"Authorization": f"Bearer {stale}"}, b"{}")
    assert status == 403
    assert "30 seconds" in reply["errors"][0]["message"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_or_broken_notify_is_retried_with_back_off_then_delivered(organiser, fake_notify, status):
    notify_settings(organiser, fake_notify)
    email = send_test(organiser=organiser, to=TO)
    fake_notify.fail_next(status, 2)
    now = timezone.now()

    counts = deliver_due(now=now)
    email.refresh_from_db()
    assert (counts["deferred"], email.status, email.attempts) == (1, Email.Status.QUEUED, 1)
    assert str(status) in email.last_error
    first_retry = email.next_attempt_at
    assert first_retry > now
    # Not due before its moment.
    assert deliver_due(now=first_retry - timedelta(seconds=1))["deferred"] == 0

    deliver_due(now=first_retry)
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED
    assert email.next_attempt_at - first_retry > first_retry - now  # backing off

    assert deliver_due(now=email.next_attempt_at)["sent"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Email.Status.SENT, 3, "")
    assert [r.status for r in fake_notify.requests] == [status, status, 201]


def test_notify_busy_for_too_long_fails_the_email(organiser, fake_notify):
    notify_settings(organiser, fake_notify)
    email = send_test(organiser=organiser, to=TO)
    Email.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1)
    fake_notify.fail_next(503)

    assert deliver_due()["failed"] == 1
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED


def test_a_template_notify_does_not_have_fails_at_once_with_notifys_words(organiser, fake_notify):
    notify_settings(organiser, fake_notify, default_template_id="0b8e5c7a-1111-4222-8333-944455556666")
    email = send_test(organiser=organiser, to=TO)

    assert deliver_due()["failed"] == 1

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.last_error == "GOV.UK Notify refused this message: GOV.UK Notify answered 400: Template not found"
    assert len(fake_notify.requests) == 1  # not retried


def test_a_400_answer_fails_the_email_without_holding_up_the_next(organiser, fake_notify):
    notify_settings(organiser, fake_notify)
    first = send_test(organiser=organiser, to=TO)
    second = send_test(organiser=organiser, to="sam.jones@coventry.gov.uk")
    fake_notify.fail_next(400)

    counts = deliver_due()

    assert (counts["failed"], counts["sent"]) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Email.Status.FAILED, Email.Status.SENT)


def test_an_organisation_on_smtp_sends_by_smtp_even_with_a_key_saved(organiser, fake_notify):
    notify_settings(organiser, fake_notify, sending=NotifySettings.Sending.SMTP)
    send_test(organiser=organiser, to=TO)

    assert deliver_due()["sent"] == 1

    assert [m.to for m in mail.outbox] == [[TO]]
    assert fake_notify.requests == []


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("live-3d844edf-8d35-48ac-975b-e847b4f122b0-0e21d9b7-cb1a-4bd9-8d5f-2ecb6d5b5b2c", True),
        ("3d844edf-8d35-48ac-975b-e847b4f122b0-0e21d9b7-cb1a-4bd9-8d5f-2ecb6d5b5b2c", False),  # no name
        ("live-3d844edf-8d35-48ac-975b-e847b4f122b0", False),
        ("", False),
    ],
)
def test_api_keys_are_checked_for_notifys_shape(key, valid):
    assert notify.valid_api_key(key) is valid
