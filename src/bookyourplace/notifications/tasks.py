"""Thin wrappers the worker runs; the rules are in services.py."""

from django.tasks import task


@task(queue_name="email")
def send_email(*, email_id: int) -> str:
    # Imported here because services.py enqueues this task.
    from bookyourplace.notifications.services import deliver

    return deliver(email_id=email_id)


@task(queue_name="email")
def send_account_email(*, to: str, subject: str, body: str) -> None:
    """Mail for back-office accounts (password reset), sent by the worker like every email."""
    from bookyourplace.notifications.services import deliver_account_email

    deliver_account_email(to=to, subject=subject, body=body)
