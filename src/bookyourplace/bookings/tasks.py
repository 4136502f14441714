"""Work the worker does on its own every minute: pass on offers that ran out, send reminders.

django-tasks-db has no scheduler, so the task schedules its own next run. Both jobs are safe
to run twice at once, so an extra run (two workers, a restart) does no harm.
"""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

INTERVAL = timedelta(seconds=60)


@task(queue_name="default")
def run_periodic_work() -> dict:
    from bookyourplace.bookings.periodic import run_once, schedule_next  # tasks are imported by periodic.py

    try:
        return run_once(now=timezone.now())
    finally:
        schedule_next(after=INTERVAL)
