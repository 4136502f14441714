"""The retention schedule: personal data anonymised once its programme's retention period is
over, by a daily run of the worker, with a dry run organisers can read first.

What falls due, and when, is each holder's (privacy/personal_data.py): a programme's people
``retention_months`` after its last session ends, access needs ``access_needs_retention_days``
after the session. This module only runs them: once a day, at the first minute's work after
RUN_AT (local time), claimed by a unique row per day so that two workers, or a restart, run
it once; or at once when an administrator asks. Each run writes one audit entry with its
counts. A run that fails leaves everything still due for the next one: each holder picks up
whatever is due and not yet anonymised, so nothing is skipped and nothing done twice.
"""

import calendar
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from bookyourplace.privacy.erasure import describe
from bookyourplace.privacy.models import AuditEvent, RetentionRun
from bookyourplace.privacy.personal_data import DueRecords, holders
from bookyourplace.privacy.services import SYSTEM, Actor, record

logger = logging.getLogger(__name__)

# The daily run starts at the first minute's work after this (local time): a quiet hour.
RUN_AT = time(2, 0)
# How far ahead the dry run looks.
DRY_RUN_DAYS = 30


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the month's last day when it is shorter:
    31 January and one month is 28 or 29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _run_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, RUN_AT))


def run_day_for(due_at: datetime) -> date:
    """The day of the daily run that will pick up something due at ``due_at``."""
    local = timezone.localtime(due_at)
    return local.date() if local <= _run_moment(local.date()) else local.date() + timedelta(days=1)


def next_run_day(now: datetime) -> date:
    """The day of the next daily run: today's, unless it has run or its hour has passed."""
    today = timezone.localdate(now)
    if (
        now < _run_moment(today)
        and not RetentionRun.objects.filter(trigger=RetentionRun.Trigger.DAILY, day=today).exists()
    ):
        return today
    return today + timedelta(days=1)


# -- Running --------------------------------------------------------------------------------


def start_daily_run(*, now: datetime) -> RetentionRun | None:
    """The every-minute job: once today's hour has come, claim today's run and hand it to the
    worker. The unique day makes a second claim (another worker, a restart) fail harmlessly."""
    today = timezone.localdate(now)
    if now < _run_moment(today) or RetentionRun.objects.filter(trigger=RetentionRun.Trigger.DAILY, day=today).exists():
        return None
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create(trigger=RetentionRun.Trigger.DAILY, day=today)
    except IntegrityError:
        return None
    _hand_to_worker(run)
    return run


def ask_for_run(*, actor: Actor, now: datetime | None = None) -> RetentionRun:
    """An administrator's "Run it now": anonymise what is already due without waiting for the
    night. Audited; the worker does it (it may take a while), and the page follows it."""
    now = now or timezone.now()
    with transaction.atomic():
        run = RetentionRun.objects.create(
            trigger=RetentionRun.Trigger.ASKED, day=timezone.localdate(now), asked_by_label=actor.name[:254]
        )
        record(actor=actor, action=AuditEvent.Action.RETENTION_RUN_ASKED, summary="Asked for the retention run now")
        _hand_to_worker(run)
    return run


def _hand_to_worker(run: RetentionRun) -> None:
    transaction.on_commit(lambda: run_retention.enqueue(run.pk))


@task(queue_name="default")
def run_retention(run_id: int) -> dict:
    run = RetentionRun.objects.get(pk=run_id)
    return perform(run).counts


def perform(run: RetentionRun, *, now: datetime | None = None) -> RetentionRun:
    """Ask every holder to anonymise what is due now, saving the counts as each finishes."""
    with transaction.atomic():
        claimed = RetentionRun.objects.filter(pk=run.pk, started_at__isnull=True).update(
            started_at=now or timezone.now()
        )
    if not claimed:
        return run  # already run (a task delivered twice)
    run.refresh_from_db()
    now = now or run.started_at
    try:
        for holder in holders():
            run.counts[holder.name] = holder.anonymise_due(now)
            run.save(update_fields=["counts"])
    except Exception:
        logger.exception("Retention run %s failed", run.pk)
        run.failed = True
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at", "failed"])
        record(
            actor=SYSTEM,
            action=AuditEvent.Action.RETENTION_RUN,
            summary=(
                f"Retention run ({run.get_trigger_display().lower()}, {run.day.day} {run.day:%B %Y})"
                f"{' failed part way' if run.failed else ''}: {describe(run.counts)}"
            ),
        )
    return run


def latest_run() -> RetentionRun | None:
    return RetentionRun.objects.order_by("-created_at", "-id").first()


# -- The dry run ----------------------------------------------------------------------------


@dataclass
class ProgrammeDue:
    title: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class PlannedRun:
    """One run of the dry run: its day, how many of each kind it anonymises, in which programmes."""

    day: date
    overdue: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    programmes: dict[int, ProgrammeDue] = field(default_factory=dict)

    def add(self, due: DueRecords) -> None:
        self.counts[due.kind] = self.counts.get(due.kind, 0) + due.count
        for programme_id, title in zip(due.programme_ids, due.programmes, strict=False):
            programme = self.programmes.setdefault(programme_id, ProgrammeDue(title=title))
            programme.counts[due.kind] = programme.counts.get(due.kind, 0) + due.count

    @property
    def programme_list(self) -> list[ProgrammeDue]:
        return sorted(self.programmes.values(), key=lambda programme: programme.title.lower())

    def programmes_with(self, kind: str) -> int:
        return sum(1 for programme in self.programmes.values() if programme.counts.get(kind))

    @property
    def lines(self) -> list[tuple[str, int, int]]:
        """(kind, how many, in how many programmes), for "Bookings anonymised: 312 in 3 programmes"."""
        return [(kind, count, self.programmes_with(kind)) for kind, count in self.counts.items()]

    @property
    def kinds(self) -> list[str]:
        return list(self.counts)

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """Per programme, how many of each kind, in the order of ``kinds``."""
        return [
            (programme.title, [programme.counts.get(kind, 0) for kind in self.counts])
            for programme in self.programme_list
        ]


def dry_run(
    *, now: datetime | None = None, days: int = DRY_RUN_DAYS, programme_ids: Collection[int] | None = None
) -> list[PlannedRun]:
    """What the runs from now to ``days`` ahead will anonymise, day by day (only the days that
    anonymise something), limited to these programmes (``None``: all). What is due already
    goes at the next run, marked overdue."""
    now = now or timezone.now()
    until = _run_moment(timezone.localdate(now) + timedelta(days=days))
    first = next_run_day(now)
    runs: dict[date, PlannedRun] = {}
    for holder in holders():
        for due in holder.schedule(now, until):
            if not due.count:
                continue
            if programme_ids is not None and not set(due.programme_ids) & set(programme_ids):
                continue
            overdue = due.when is None or due.when <= now
            day = first if overdue else max(run_day_for(due.when), first)
            runs.setdefault(day, PlannedRun(day=day)).add(due)
            runs[day].overdue = runs[day].overdue or overdue
    return [runs[day] for day in sorted(runs)]
