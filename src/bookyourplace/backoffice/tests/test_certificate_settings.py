"""A programme's settings for after the session (what counts as attended, certificates), and
a booking's certificate as the back office shows it."""

import pytest
from django.urls import reverse

from bookyourplace.attendance.models import Outcome
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.certificates.testing import attended_booking, mark_as
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM

RULES = {
    "approval_mode": "open",
    "email_confirmation": "auto",
    "offer_hold_hours": "24",
    "cancellation_cutoff_hours": "0",
    "reminder_days": "5, 1",
    "joining_reminder_minutes": "60",
    "attendance_threshold_percent": "75",
    "certificates_enabled": "yes",
    "retention_months": "24",
    "access_needs_retention_days": "30",
}


def rules_url(programme) -> str:
    return reverse("backoffice:programme_rules", args=[programme.pk])


def test_the_rules_page_shows_the_settings_for_after_the_session(client, coordinator, programme):
    page = text_of(client.get(rules_url(programme)))

    assert "After the session" in page
    assert "Attended means present for at least this percentage of the session" in page
    assert "Offer a certificate to everyone marked as attended, from their booking page" in page
    assert "Only once the attendee has given their feedback on the session" in page


def test_the_settings_for_after_the_session_are_saved_and_audited(client, coordinator, programme):
    response = client.post(
        rules_url(programme),
        RULES | {"attendance_threshold_percent": "80", "certificate_needs_feedback": "yes"},
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (
        programme.attendance_threshold_percent,
        programme.certificates_enabled,
        programme.certificate_needs_feedback,
    ) == (80, True, True)
    summary = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PROGRAMME).get().summary
    assert "attendance_threshold_percent" in summary and "certificate_needs_feedback" in summary


def test_certificates_can_be_switched_off(client, coordinator, programme):
    rules = dict(RULES)
    del rules["certificates_enabled"]

    client.post(rules_url(programme), rules)

    programme.refresh_from_db()
    assert programme.certificates_enabled is False
    page = client.get(rules_url(programme)).content.decode()
    assert 'id="id_certificates_enabled" name="certificates_enabled" type="checkbox" value="yes">' in page


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("", "Enter the percentage of the session, like 75"),
        ("0", "Enter a percentage of 1 or more"),
        ("101", "Enter a percentage of 100 or less"),
        ("three quarters", "Enter a whole number from 1 to 100, like 75"),
    ],
)
def test_a_threshold_outside_1_to_100_is_refused_in_the_error_summary(
    client, coordinator, programme, threshold, message
):
    response = client.post(rules_url(programme), RULES | {"attendance_threshold_percent": threshold})

    assert response.status_code == 200
    assert f"There is a problem {message}" in text_of(response)
    assert '<a href="#id_attendance_threshold_percent">' in response.content.decode()
    programme.refresh_from_db()
    assert programme.attendance_threshold_percent == 75


def test_a_booking_shows_its_certificate_and_whether_it_stands(client, coordinator, session):
    booking = attended_booking(session)
    certificate = issue_certificate(booking=booking, actor=SYSTEM)
    url = reverse("backoffice:booking", args=[booking.pk])

    valid = text_of(client.get(url))
    mark_as(booking, Outcome.NO_SHOW)
    withdrawn = text_of(client.get(url))

    assert f"Certificate {certificate.grouped_code} Valid Issued" in valid
    assert f"Certificate {certificate.grouped_code} Withdrawn Issued" in withdrawn
    assert "Marking the attendance as attended again makes the same code valid again." in withdrawn
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_a_booking_without_a_certificate_shows_none(client, coordinator, session):
    booking = attended_booking(session)

    assert "Certificate" not in text_of(client.get(reverse("backoffice:booking", args=[booking.pk])))
