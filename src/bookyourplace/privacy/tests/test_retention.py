"""The retention schedule's running: once a day whatever number of workers try, every holder
asked, one audit entry per run with its counts, and the dry run grouped by the day of the run
that will do it. Holders here are stand-ins; the real ones are tested in their apps and in
backoffice/tests/test_retention.py."""

import datetime as dt

import pytest
from django.utils import timezone

from bookyourplace.privacy import personal_data, retention
from bookyourplace.privacy.models import AuditEvent, RetentionRun
from bookyourplace.privacy.personal_data import DueRecords, PersonalDataHolder
from bookyourplace.privacy.services import Actor


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def stand_ins(monkeypatch):
    """Two holders: 'bookings' anonymises 3 records each run, 'feedback' 1."""
    calls = []

    def holder(name, count):
        def anonymise_due(now):
            calls.append(name)
            return count

        return PersonalDataHolder(
            name=name, find=lambda email, **kw: [], erase=lambda email, **kw: 0, anonymise_due=anonymise_due
        )

    monkeypatch.setattr(
        personal_data, "_holders", {"bookings": holder("bookings", 3), "feedback": holder("feedback", 1)}
    )
    return calls


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (local(2025, 3, 1, 17, 0), 24, local(2027, 3, 1, 17, 0)),
        (local(2025, 1, 31, 9, 30), 1, local(2025, 2, 28, 9, 30)),
        (local(2024, 1, 31, 9, 30), 1, local(2024, 2, 29, 9, 30)),
        (local(2025, 11, 15, 12, 0), 3, local(2026, 2, 15, 12, 0)),
    ],
)
def test_months_after_keeps_the_day_or_takes_the_months_last(moment, months, expected):
    assert retention.months_after(moment, months) == expected


def test_no_daily_run_before_its_hour(db, stand_ins):
    assert retention.start_daily_run(now=local(2026, 12, 3, 1, 59)) is None
    assert not RetentionRun.objects.exists()


def test_the_daily_run_starts_once_a_day_however_often_it_is_asked(db, stand_ins, run_worker):
    first = retention.start_daily_run(now=local(2026, 12, 3, 2, 0))
    again = retention.start_daily_run(now=local(2026, 12, 3, 2, 1))
    run_worker()
    tomorrow = retention.start_daily_run(now=local(2026, 12, 4, 2, 0))

    assert first is not None and again is None and tomorrow is not None
    assert list(RetentionRun.objects.order_by("day").values_list("day", flat=True)) == [
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 4),
    ]
    first.refresh_from_db()
    assert first.counts == {"bookings": 3, "feedback": 1}
    assert first.finished_at is not None


def test_a_run_asks_every_holder_and_records_one_audit_entry_with_its_counts(db, stand_ins):
    run = RetentionRun.objects.create(trigger=RetentionRun.Trigger.DAILY, day=dt.date(2026, 12, 3))

    retention.perform(run)
    retention.perform(run)  # the same task delivered twice does nothing more

    assert stand_ins == ["bookings", "feedback"]
    entries = list(AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN).values_list("summary", flat=True))
    assert entries == ["Retention run (daily run, 3 December 2026): bookings 3, feedback 1"]


def test_asking_for_a_run_now_is_audited_and_handed_to_the_worker(db, stand_ins, run_worker):
    run = retention.ask_for_run(actor=Actor(label="Hana Ali"))
    assert run.started_at is None  # the worker does it

    run_worker()

    run.refresh_from_db()
    assert run.counts == {"bookings": 3, "feedback": 1}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN_ASKED, actor_label="Hana Ali").count() == 1


def test_a_holder_that_fails_leaves_the_run_marked_and_audited(db, monkeypatch):
    def broken(now):
        raise RuntimeError("database went away")

    monkeypatch.setattr(
        personal_data,
        "_holders",
        {
            "broken": PersonalDataHolder(
                name="broken", find=lambda e, **k: [], erase=lambda e, **k: 0, anonymise_due=broken
            )
        },
    )
    run = RetentionRun.objects.create(trigger=RetentionRun.Trigger.DAILY, day=dt.date(2026, 12, 3))

    with pytest.raises(RuntimeError):
        retention.perform(run)

    run.refresh_from_db()
    assert run.failed and run.finished_at is not None
    assert AuditEvent.objects.get(action=AuditEvent.Action.RETENTION_RUN).summary.endswith(
        "failed part way: nothing held"
    )


def test_the_dry_run_groups_what_falls_due_by_the_run_that_does_it(db, monkeypatch):
    now = local(2026, 12, 3, 10, 0)  # today's run (02:00) is over
    schedule = [
        DueRecords("Bookings anonymised", 12, ("Prevent Week",), when=local(2026, 11, 1, 17, 0), programme_ids=(1,)),
        DueRecords("Bookings anonymised", 300, ("WRAP",), when=local(2027, 1, 1, 17, 0), programme_ids=(2,)),
        DueRecords("Access needs removed", 4, ("WRAP",), when=local(2027, 1, 1, 1, 0), programme_ids=(2,)),
        DueRecords("Bookings anonymised", 9, ("Elsewhere",), when=local(2027, 1, 1, 17, 0), programme_ids=(3,)),
        DueRecords("Bookings anonymised", 5, ("Too far",), when=local(2027, 3, 1, 17, 0), programme_ids=(1,)),
    ]
    holder = PersonalDataHolder(
        name="stand-in",
        find=lambda e, **k: [],
        erase=lambda e, **k: 0,
        schedule=lambda now, until: [due for due in schedule if due.when <= until],
    )
    monkeypatch.setattr(personal_data, "_holders", {"stand-in": holder})

    runs = retention.dry_run(now=now, programme_ids=[1, 2])

    assert [(run.day, run.overdue, run.lines) for run in runs] == [
        (dt.date(2026, 12, 4), True, [("Bookings anonymised", 12, 1)]),
        # Due at 17:00 on 1 January: the next night's run; access needs due at 01:00 go that night.
        (dt.date(2027, 1, 1), False, [("Access needs removed", 4, 1)]),
        (dt.date(2027, 1, 2), False, [("Bookings anonymised", 300, 1)]),
    ]
    assert runs[2].rows == [("WRAP", [300])]
