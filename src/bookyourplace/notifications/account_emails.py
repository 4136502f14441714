"""Email to back-office accounts (a password reset link, a sign-in warning).

These go to staff, not attendees, and are about no booking: they skip the outbox table and
go as a task for the worker (kept with the task queue's own retries), so no web request
waits on the mail server either.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task


def queue_account_email(*, to: str, subject: str, body: str) -> None:
    send_account_email.enqueue(to=to, subject=subject, body=body)


@task(queue_name="email")
def send_account_email(*, to: str, subject: str, body: str) -> None:
    """Sent by the worker like every email."""
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
