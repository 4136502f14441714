"""Work other apps add to the worker's every-minute run.

The run itself is bookings' (bookings/periodic.py: offers that ran out, reminders); apps
above and below it register their own jobs here, in their AppConfig.ready, so the run need not
import them and an app below bookings (privacy's daily retention run) can take part too.
Each job gets ``now``; one that fails is logged and the others still run.
"""

import logging
from collections.abc import Callable
from datetime import datetime

logger = logging.getLogger(__name__)

_jobs: dict[str, Callable[..., object]] = {}


def register_periodic_job(name: str, job: Callable[..., object]) -> None:
    _jobs[name] = job


def run_registered_jobs(*, now: datetime) -> None:
    for name, job in list(_jobs.items()):
        try:
            job(now=now)
        except Exception:
            logger.exception("Periodic job %s failed", name)
