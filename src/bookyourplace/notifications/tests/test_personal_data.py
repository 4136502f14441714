"""The outbox's part in removing a person: error texts quoting the address, the emails to it,
and in development the email files the file backend wrote."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.notifications import personal_data as held
from bookyourplace.notifications.models import Email, Message

ALEX = "alex.smith@coventry.gov.uk"


@pytest.fixture
def mail_folder(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": held.FILE_BACKEND, "OPTIONS": {"file_path": str(tmp_path)}}}
    return tmp_path


def email(about, to, **fields):
    return Email.objects.create(about=about, kind="confirmation", to=to, **fields)


def test_erasing_an_address_clears_its_emails_and_every_error_text_quoting_it(programme):
    queued = email(programme, ALEX, note="Cancelled because Alex Smith moved team")
    other = email(programme, "bea@example.org", status=Email.Status.FAILED, last_error=f"550 <{ALEX}> unknown")

    held.erase(ALEX)

    queued.refresh_from_db()
    other.refresh_from_db()
    assert (queued.to, queued.note, queued.status) == ("", "", Email.Status.SKIPPED)
    assert (other.to, other.last_error) == ("bea@example.org", "")


def test_erasing_within_some_programmes_leaves_emails_to_what_the_booking_holder_reaches(programme):
    kept = email(programme, ALEX)

    held.erase(ALEX, programme_ids=[programme.pk])

    kept.refresh_from_db()
    assert kept.to == ALEX  # found and cleared through the booking it is about, within scope


def test_development_email_files_holding_the_address_are_deleted(db, mail_folder):
    (mail_folder / "1.log").write_text(f"To: {ALEX.title()}\n\nHello")
    (mail_folder / "2.log").write_text("To: bea@example.org\n\nHello")
    (mail_folder / "3.log").write_text("To: x@example.org\n\nYour line manager alex.smith@coventry.=\ngov.uk")

    assert held.erase(ALEX) == 2

    assert sorted(path.name for path in mail_folder.iterdir()) == ["2.log"]


def test_the_retention_run_deletes_development_email_files_after_30_days(mail_folder):
    old, recent = mail_folder / "old.log", mail_folder / "recent.log"
    old.write_text("To: someone@example.org")
    recent.write_text("To: someone@example.org")
    month_ago = time.time() - timedelta(days=31).total_seconds()
    os.utime(old, (month_ago, month_ago))

    assert held.HOLDER.anonymise_due(timezone.now()) == 1

    assert [path.name for path in mail_folder.iterdir()] == ["recent.log"]


def test_without_the_file_backend_no_file_is_touched(db, settings, tmp_path):
    (tmp_path / "1.log").write_text(f"To: {ALEX}")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}}

    held.erase(ALEX)

    assert (tmp_path / "1.log").exists()


def test_a_message_keeps_no_recipient_of_its_own():
    # Who got a message is its email rows, which erasure reaches; the message keeps a count.
    fields = {field.name: field for field in Message._meta.get_fields()}
    assert not fields.keys() & {"to", "email", "recipient"}
    assert fields["recipients"].get_internal_type() == "PositiveIntegerField"
