"""Putting email in the outbox.

Queueing writes outbox rows (and asks for a delivery run) in the caller's transaction, so
an email is queued exactly when the change it reports is saved; nothing is sent inside a
web request. What each email says is written when it is sent (composing.py).
"""

from typing import Required, TypedDict, Unpack

from django.db import IntegrityError, models, transaction

from bookyourplace.notifications.delivery import request_delivery
from bookyourplace.notifications.models import Email, Message


class EmailDetails(TypedDict, total=False):
    about: Required[models.Model]  # what the email is about, such as a booking
    kind: Required[str]  # which email, in the words of the app that writes it
    to: Required[str]
    channel: str  # "email" (the default) or "sms": a text message (GOV.UK Notify), ``to`` a mobile number
    invite_method: str  # the calendar invite it carries (REQUEST, CANCEL), if any
    invite_sequence: int | None
    include_joining_details: bool  # whether this kind of email carries them (if allowed when sent)
    note: str  # the organiser's words carried into it
    message: Message | None  # the organiser's message it carries
    dedupe_key: str | None  # set for an email that must be queued at most once


def outbox_email(**details: Unpack[EmailDetails]) -> Email:
    """An outbox row, not yet saved: for queue_emails and queue_emails_once."""
    return Email(**details)


def queue_email(**details: Unpack[EmailDetails]) -> Email:
    """Queue one email and ask for a delivery run."""
    email = Email(**details)
    email.save(force_insert=True)
    request_delivery()
    return email


def queue_emails(emails: list[Email]) -> int:
    """Queue many emails in a few statements, and ask for one delivery run for them all
    (it sends them in batches); how many were queued."""
    Email.objects.bulk_create(emails, batch_size=500)
    request_delivery()
    return len(emails)


def queue_emails_once(emails: list[Email]) -> int:
    """Queue each of these emails (each with a dedupe_key) unless it was queued already;
    how many were queued. The caller asks for one delivery run afterwards.

    One statement for the lot, committed together. When another worker has queued one of
    them meanwhile, the unique dedupe key refuses the statement, and they go one at a time,
    each that is already there skipped.
    """
    try:
        with transaction.atomic():
            Email.objects.bulk_create(emails)
        return len(emails)
    except IntegrityError:
        pass
    queued = 0
    for email in emails:
        email.pk = None
        try:
            with transaction.atomic():
                email.save(force_insert=True)
        except IntegrityError:
            continue  # another worker queued this one first
        queued += 1
    return queued
