"""Is the service up, and is it ready: /healthz and /readyz (answered by
core/endpoints.py before the rest of the middleware runs).

- ``/healthz``: the process answers. Nothing else is asked (no database), so a load balancer
  or an orchestrator restarting stuck processes never restarts them for a database outage.
- ``/readyz``: the database answers, and the worker's every-minute run has beaten within
  ``BYP_HEARTBEAT_MAX_AGE_SECONDS``. The run records its beat (``record_heartbeat``, a job
  of core/periodic.py, so whichever worker runs it on whichever server beats for them all)
  in the database, which every web server reads: one answer however many servers there are.

Both are one small JSON document, never cached, with no session or cookie.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from bookyourplace.core.models import Heartbeat

WORKER = "worker"


def record_heartbeat(*, now: datetime) -> None:
    """The worker is alive: its every-minute run calls this (registered in CoreConfig.ready)."""
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": now})


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, dict]

    @property
    def ready(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, check in self.checks.items() if not check["ok"]]

    def as_json(self) -> dict:
        if self.ready:
            return {"status": "ready", "checks": self.checks}
        return {"status": "not ready", "failing": self.failing, "checks": self.checks}


def readiness(*, now: datetime | None = None) -> Readiness:
    """The database (one indexed read, which also finds the worker's last beat) and the worker."""
    now = now or timezone.now()
    try:
        beat_at = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    except DatabaseError as error:
        return Readiness(
            checks={
                "database": {"ok": False, "error": type(error).__name__},
                "worker": {"ok": False, "error": "unknown while the database is unreachable"},
            }
        )
    max_age = timedelta(seconds=settings.BYP_HEARTBEAT_MAX_AGE_SECONDS)
    if beat_at is None:
        worker = {"ok": False, "error": "no heartbeat yet: is the worker running?"}
    else:
        age = max((now - beat_at).total_seconds(), 0.0)
        worker = {"ok": now - beat_at <= max_age, "last_beat_seconds_ago": round(age)}
        if not worker["ok"]:
            worker["error"] = f"no heartbeat for over {int(max_age.total_seconds())} seconds: is the worker running?"
    return Readiness(checks={"database": {"ok": True}, "worker": worker})


def heartbeat_age_seconds(*, now: datetime | None = None) -> float | None:
    """Seconds since the worker's last beat, or None if it never beat (metrics)."""
    beat_at = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return max(((now or timezone.now()) - beat_at).total_seconds(), 0.0)
