"""Work the worker does on its own every minute: offers that ran out, places held for an
email address that was not confirmed in time, and reminders that are due.

django-tasks-db has no scheduler, so the task schedules its own next run (which is why it
lives here, beside what it schedules). Each job is safe to run twice at once, so an extra
run (two workers, a restart) does no harm.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings import expiry, reminders
from bookyourplace.notifications import delivery

logger = logging.getLogger(__name__)

INTERVAL = timedelta(seconds=60)

# Jobs of apps above this one (the feedback emails after a session), registered in their
# AppConfig.ready, since bookings may not import them. Each gets ``now``; one that fails is
# logged and the others still run.
_jobs: dict[str, Callable[..., object]] = {}


def register_periodic_job(name: str, job: Callable[..., object]) -> None:
    _jobs[name] = job


def _run_registered_jobs(now: datetime) -> None:
    for name, job in _jobs.items():
        try:
            job(now=now)
        except Exception:
            logger.exception("Periodic job %s failed", name)


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
    _run_registered_jobs(now)
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
