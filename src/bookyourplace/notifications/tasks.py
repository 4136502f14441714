"""Thin wrappers the worker runs; the rules are in services.py."""

from django.tasks import task


@task(queue_name="email")
def send_email(*, email_id: int) -> str:
    # Imported here because services.py enqueues this task.
    from bookyourplace.notifications.services import deliver

    return deliver(email_id=email_id)
