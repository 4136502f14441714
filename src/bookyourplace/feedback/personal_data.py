"""What feedback holds about a person: their answers. The ratings are kept (they name no one
and the results count them); free-text answers are emptied, since people write names, roles
and stories in them, when the programme's retention period ends or the person is erased.
"""

from collections.abc import Collection
from datetime import datetime

from django.db.models import Count, Q

from bookyourplace.bookings.personal_data import programmes_due, retention_ends
from bookyourplace.feedback.models import Answer, Response
from bookyourplace.privacy.personal_data import DueRecords, HeldRecord, PersonalDataHolder

COMMENTS_REMOVED = "Feedback comments removed"


def _with_text():
    return Answer.objects.exclude(text="")


def anonymise_due(now: datetime) -> int:
    """Comments of the programmes due, and of any booking anonymised already (an erasure)."""
    return (
        _with_text()
        .filter(
            Q(response__session__programme_id__in=programmes_due(now))
            | Q(response__booking__anonymised_at__isnull=False)
        )
        .update(text="")
    )


def schedule(now: datetime, until: datetime) -> list[DueRecords]:
    ends = {pk: value for pk, value in retention_ends().items() if value[1] <= until}
    counts = dict(
        _with_text()
        .filter(response__session__programme_id__in=ends)
        .values_list("response__session__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        DueRecords(kind=COMMENTS_REMOVED, count=counts[pk], programmes=(title,), programme_ids=(pk,), when=due_at)
        for pk, (title, due_at) in ends.items()
        if counts.get(pk)
    ]


def _responses(email: str, programme_ids: Collection[int] | None):
    responses = Response.objects.filter(booking__email=email.strip().lower(), booking__anonymised_at__isnull=True)
    if programme_ids is not None:
        responses = responses.filter(session__programme_id__in=programme_ids)
    return responses


def find(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    found = []
    for response in _responses(email, programme_ids).select_related("session__programme").prefetch_related("answers"):
        fields = {"Session": response.session.title}
        for answer in sorted(response.answers.all(), key=lambda answer: (answer.question_id, answer.pk)):
            fields[answer.wording] = answer.rating if answer.rating is not None else answer.text
        found.append(
            HeldRecord(
                kind="Feedback", when=response.submitted_at, programme=response.session.programme.title, fields=fields
            )
        )
    return found


def erase(email: str, *, reason: str = "", actor=None, programme_ids: Collection[int] | None = None) -> int:
    return _with_text().filter(response__in=_responses(email, programme_ids)).update(text="")


HOLDER = PersonalDataHolder(
    name="feedback",
    find=find,
    erase=erase,
    anonymise_due=anonymise_due,
    schedule=schedule,
    covers=("feedback.Answer", "feedback.Response"),
)
