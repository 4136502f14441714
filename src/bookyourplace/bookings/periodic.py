"""The minute-by-minute work: offers that ran out, places held for an email address that
was not confirmed in time, and reminders that are due."""

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings import email_confirmation, waiting_list
from bookyourplace.bookings.tasks import run_periodic_work
from bookyourplace.notifications import reminders
from bookyourplace.notifications import services as notifications

logger = logging.getLogger(__name__)


def run_once(*, now: datetime) -> dict:
    expired = waiting_list.expire_offers(now=now)
    released = email_confirmation.release_unconfirmed_holds(now=now)
    queued = reminders.send_due_reminders(now=now)
    # A safety net: emails a killed worker abandoned, or whose delivery run was lost.
    if notifications.recover_abandoned(now=now) or notifications.has_due_email(now=now):
        notifications.request_delivery()
    if expired or released or queued:
        logger.info(
            "Periodic work: %s offers passed on, %s unconfirmed holds released, %s reminders queued",
            expired,
            released,
            queued,
        )
    return {"offers_expired": expired, "holds_released": released, "reminders_queued": queued}


def schedule_next(*, after: timedelta = timedelta(0)) -> bool:
    """Queue the next run unless one is already waiting. Returns True if it queued one."""
    waiting = DBTaskResult.objects.filter(task_path=run_periodic_work.module_path, status="READY")
    if waiting.exists():
        return False
    run_periodic_work.using(run_after=timezone.now() + after).enqueue()
    return True
