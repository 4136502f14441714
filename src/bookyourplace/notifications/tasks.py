"""Thin wrappers the worker runs; the rules are in services.py."""

from django.tasks import task


@task(queue_name="email")
def deliver_outbox() -> dict:
    """Send every due email in the outbox (see services.deliver_due)."""
    # Imported here because services.py enqueues this task.
    from bookyourplace.notifications.services import deliver_due

    return deliver_due()


@task(queue_name="email")
def send_account_email(*, to: str, subject: str, body: str) -> None:
    """Mail for back-office accounts (password reset), sent by the worker like every email."""
    from bookyourplace.notifications.services import deliver_account_email

    deliver_account_email(to=to, subject=subject, body=body)
