"""What attendance holds about a person: whether they came (kept: reports count it, and it
names no one: it hangs on the booking, which is anonymised with its person), and walk-ins,
who have no booking and carry their own name and address.

A walk-in is anonymised as a booking is (name "Anonymised", address removed, organisation
kept), when its programme's retention period ends, or at once when its person is erased.
"""

from collections.abc import Collection
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from bookyourplace.attendance.models import Attendance, WalkIn
from bookyourplace.bookings.personal_data import ANONYMISED_NAME, programmes_due, retention_ends
from bookyourplace.privacy.audit_personal_data import anonymise_audit_entries
from bookyourplace.privacy.personal_data import DueRecords, HeldRecord, PersonalDataHolder

WALK_INS_ANONYMISED = "Walk-ins anonymised"


def _not_anonymised() -> Q:
    return ~Q(first_name=ANONYMISED_NAME, last_name="", email="")


def anonymise_walk_ins(walk_ins: QuerySet[WalkIn]) -> int:
    with transaction.atomic():
        rows = list(walk_ins.filter(_not_anonymised()).select_for_update())
        if not rows:
            return 0
        words = {walk_in.pk: (walk_in.full_name, walk_in.email) for walk_in in rows}
        changed = WalkIn.objects.filter(pk__in=words).update(first_name=ANONYMISED_NAME, last_name="", email="")
        anonymise_audit_entries(subject_type="walkin", words_by_subject=words)
    return changed


def anonymise_due(now: datetime) -> int:
    return anonymise_walk_ins(WalkIn.objects.filter(session__programme_id__in=programmes_due(now)))


def schedule(now: datetime, until: datetime) -> list[DueRecords]:
    ends = {pk: value for pk, value in retention_ends().items() if value[1] <= until}
    counts = dict(
        WalkIn.objects.filter(_not_anonymised(), session__programme_id__in=ends)
        .values_list("session__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        DueRecords(kind=WALK_INS_ANONYMISED, count=counts[pk], programmes=(title,), programme_ids=(pk,), when=due_at)
        for pk, (title, due_at) in ends.items()
        if counts.get(pk)
    ]


def _scoped(queryset, programme_ids: Collection[int] | None, *, via: str):
    return queryset if programme_ids is None else queryset.filter(**{f"{via}__programme_id__in": programme_ids})


def find(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    email = email.strip().lower()
    marks = _scoped(
        Attendance.objects.filter(booking__email=email, booking__anonymised_at__isnull=True),
        programme_ids,
        via="session",
    ).select_related("session__programme", "booking")
    walk_ins = _scoped(WalkIn.objects.filter(email=email), programme_ids, via="session").select_related(
        "session__programme"
    )
    return [
        HeldRecord(
            kind="Attendance",
            when=mark.marked_at,
            programme=mark.session.programme.title,
            fields={
                "Reference": mark.booking.reference,
                "Session": mark.session.title,
                "Attendance": mark.get_outcome_display(),
                "Marked by": mark.get_method_display(),
                "Minutes present": mark.minutes_present,
                "Checked in": mark.checked_in_at,
            },
        )
        for mark in marks
    ] + [
        HeldRecord(
            kind="Walk-in",
            when=walk_in.recorded_at,
            programme=walk_in.session.programme.title,
            fields={
                "Session": walk_in.session.title,
                "First name": walk_in.first_name,
                "Last name": walk_in.last_name,
                "Organisation": walk_in.organisation,
                "Email address": walk_in.email,
            },
        )
        for walk_in in walk_ins
    ]


def erase(email: str, *, reason: str = "", actor=None, programme_ids: Collection[int] | None = None) -> int:
    """Walk-ins with the address. Attendance marks stay (they name no one); the booking they
    hang on is anonymised by its own holder."""
    email = email.strip().lower()
    return anonymise_walk_ins(_scoped(WalkIn.objects.filter(email=email), programme_ids, via="session"))


def addresses() -> list[str]:
    return list(WalkIn.objects.exclude(email="").values_list("email", flat=True).distinct())


HOLDER = PersonalDataHolder(
    name="walk_ins",
    find=find,
    erase=erase,
    anonymise_due=anonymise_due,
    addresses=addresses,
    schedule=schedule,
    covers=("attendance.WalkIn", "attendance.Attendance"),
)
