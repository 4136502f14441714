"""Work the worker does on its own every minute: offers that ran out, places held for an
email address that was not confirmed in time, and reminders that are due.

django-tasks-db has no scheduler, so the task schedules its own next run (which is why it
lives here, beside what it schedules). Each job is safe to run twice at once, so an extra
run (two workers, a restart) does no harm.
"""

import logging
from datetime import datetime, timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings import expiry, reminders
from bookyourplace.core.periodic import run_registered_jobs
from bookyourplace.notifications import delivery

logger = logging.getLogger(__name__)

INTERVAL = timedelta(seconds=60)

# Jobs of other apps (the feedback emails after a session, privacy's daily retention run)
# are registered with core/periodic.py in their AppConfig.ready: bookings may not import the
# apps above it, and privacy, below it, may not import bookings.


@task(queue_name="default")
def run_periodic_work() -> dict:
    try:
        return run_once(now=timezone.now())
    finally:
        schedule_next(after=INTERVAL)


def run_once(*, now: datetime) -> dict:
    expired = expiry.expire_offers(now=now)
    released = expiry.release_unconfirmed_holds(now=now)
    queued = reminders.send_due_reminders(now=now)
    run_registered_jobs(now=now)
    # A safety net: emails a killed worker abandoned, or whose delivery run was lost.
    if delivery.recover_abandoned(now=now) or delivery.has_due_email(now=now):
        delivery.request_delivery()
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
