"""Delivery knows nothing of what an email is about: whoever queued it says how it reads.

Here the emails are about auth Groups, a model delivery has never heard of, written by a
composer registered for the test, the way the bookings app registers its own.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail import EmailMessage

from bookyourplace.notifications import composing
from bookyourplace.notifications.delivery import deliver_due
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.queueing import queue_email


@pytest.fixture
def group_emails():
    """A composer for emails about a Group; records how often it loaded."""
    loads: list[list[int]] = []

    def load(ids: list[int]) -> dict[int, Group]:
        loads.append(sorted(ids))
        return Group.objects.in_bulk(ids)

    def compose(email: Email, group: Group) -> EmailMessage | None:
        if group.name.startswith("quiet"):
            return None  # no longer wanted
        return EmailMessage(subject=f"{email.kind}: {group.name}", body=email.note, to=[email.to])

    composing.register_composer(Group, composing.Composer(load=load, compose=compose))
    yield loads
    composing._composers.pop(Group, None)


@pytest.mark.django_db
def test_an_email_is_written_when_it_is_sent_by_the_app_that_queued_it(group_emails):
    group = Group.objects.create(name="Trainers")
    queue_email(about=group, kind="welcome", to="alex@example.org", note="Hello")
    group.name = "Prevent trainers"  # changed after queueing: the email says what is true when sent
    group.save()

    counts = deliver_due()

    assert counts["sent"] == 1
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("welcome: Prevent trainers", "Hello", ["alex@example.org"])
    ]
    assert Email.objects.get().status == Email.Status.SENT


@pytest.mark.django_db
def test_a_batch_loads_what_its_emails_are_about_once(group_emails):
    groups = [Group.objects.create(name=f"Group {n}") for n in range(5)]
    for group in groups:
        queue_email(about=group, kind="welcome", to=f"{group.pk}@example.org")

    deliver_due()

    assert len(mail.outbox) == 5
    assert group_emails == [sorted(group.pk for group in groups)]


@pytest.mark.django_db
def test_an_email_its_writer_no_longer_wants_is_skipped_not_sent(group_emails):
    queue_email(about=Group.objects.create(name="quiet ones"), kind="welcome", to="bea@example.org")

    counts = deliver_due()

    assert counts["skipped"] == 1 and mail.outbox == []
    assert Email.objects.get().status == Email.Status.SKIPPED


@pytest.mark.django_db
def test_an_email_about_something_deleted_since_is_skipped(group_emails):
    group = Group.objects.create(name="Gone")
    queue_email(about=group, kind="welcome", to="cai@example.org")
    group.delete()

    counts = deliver_due()

    assert counts["skipped"] == 1 and mail.outbox == []
    assert Email.objects.get().status == Email.Status.SKIPPED


@pytest.mark.django_db
def test_an_email_nobody_can_write_fails_alone_and_says_why(group_emails):
    # About a Permission: no app registered how to write that.
    unwritable = queue_email(about=Permission.objects.first(), kind="welcome", to="dev@example.org")
    queue_email(about=Group.objects.create(name="Trainers"), kind="welcome", to="alex@example.org")

    counts = deliver_due()

    assert counts["sent"] == 1 and counts["failed"] == 1
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    unwritable.refresh_from_db()
    assert unwritable.status == Email.Status.FAILED
    assert "No app registered how to write email about" in unwritable.last_error
