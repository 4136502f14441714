"""The demo's fake GOV.UK Notify (`make run`: manage.py demo_notify): the key and templates it
prints work with the real client, and what it accepts is written to its folder."""

from notifications_python_client.notifications import NotificationsAPIClient

from bookyourplace.notifications.management.commands.demo_notify import (
    EMAIL_TEMPLATE,
    SECRET,
    SERVICE_ID,
    TEXT_TEMPLATE,
)
from bookyourplace.notifications.testing import FakeNotify


def test_the_demo_notify_takes_the_printed_key_and_keeps_each_text_and_email_as_a_file(tmp_path):
    fake = FakeNotify(service_id=SERVICE_ID, secret=SECRET, templates={EMAIL_TEMPLATE, TEXT_TEMPLATE}, keep_in=tmp_path)
    try:
        client = NotificationsAPIClient(fake.api_key, base_url=fake.url)
        client.send_sms_notification(
            phone_number="+447700900123",
            template_id=TEXT_TEMPLATE,
            personalisation={"body": "Reminder: tomorrow 10:00"},
        )
        client.send_email_notification(
            email_address="jo@school.example",
            template_id=EMAIL_TEMPLATE,
            personalisation={"subject": "Your place", "body": "You are booked."},
        )
    finally:
        fake.stop()

    kept = {path.name.split("-")[2]: path.read_text() for path in tmp_path.iterdir()}
    assert "SMS to +447700900123" in kept["sms"] and "Reminder: tomorrow 10:00" in kept["sms"]
    assert "EMAIL to jo@school.example" in kept["email"] and "You are booked." in kept["email"]
    assert [r.status for r in fake.requests] == [201, 201]
